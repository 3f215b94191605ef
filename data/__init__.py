"""The source data files, installed as the package `marine_data` (read through
`marine.config.data_dir()` with importlib.resources). Every file is listed in README.md."""
