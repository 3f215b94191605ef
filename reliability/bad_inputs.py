"""Every file of the bad-input corpus through the upload reader: each must end in a clear
refusal or a clearly reported repair (or, for files whose hostile parts are never read, a
plain acceptance), never a traceback, and nothing may be written outside a private temp folder.

    run_bad_inputs(Path("tests/data/bad")).crashes     # 0

`tests/data/bad/expected.json` says what the user must see for each file; files marked
`generated` are built into a temporary folder first (`reliability.bad_corpus`).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reliability.checkout import BAD_CORPUS_DIR
from reliability.figures import Check, Figure, register

DEFAULT_CORPUS = BAD_CORPUS_DIR
MAX_MESSAGE_CHARS = 400  # a message longer than this is not "clear" (and may echo a 1 MB string)


@dataclass(frozen=True)
class Outcome:
    name: str
    verdict: str   # "rejected" | "repaired" | "accepted" | "unclear" | "crash"
    message: str   # the error, the repair notes, or what went wrong
    seconds: float


@dataclass(frozen=True)
class BadInputFigures:
    """Hostile and broken uploads: how many were tried, refused clearly, repaired, crashed."""

    tried: int
    rejected_clearly: int     # UploadError naming what expected.json says
    repaired_clearly: int     # accepted with the expected repair note
    accepted: int             # accepted as expected (hostile parts never read)
    unclear: int              # wrong or missing message, too long, raw control characters
    crashes: int              # any other exception (a traceback for the user)
    written_outside: int      # files that appeared outside the private temp folder
    temp_left: int            # files left in the temp folder afterwards
    seconds: float
    outcomes: tuple[Outcome, ...] = field(default=(), repr=False)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(f"{o.name}: {o.verdict}: {o.message[:300]}" for o in self.outcomes
                     if o.verdict in ("unclear", "crash"))

    @property
    def ok(self) -> bool:
        return (self.unclear == 0 and self.crashes == 0 and self.written_outside == 0
                and self.temp_left == 0
                and self.rejected_clearly + self.repaired_clearly + self.accepted == self.tried)

    def rows(self) -> list[Figure]:
        s, c = f"{self.tried} files of tests/data/bad (+ generated)", "bad inputs"
        handled = self.rejected_clearly + self.repaired_clearly + self.accepted
        return [
            Figure(c, s, "bad inputs tried", self.tried),
            Figure(c, s, "rejected clearly", self.rejected_clearly),
            Figure(c, s, "repaired, repair reported", self.repaired_clearly),
            Figure(c, s, "accepted (hostile parts unread)", self.accepted),
            Figure(c, s, "handled as expected", f"{handled}/{self.tried}",
                   handled == self.tried),
            Figure(c, s, "unclear messages", self.unclear, self.unclear == 0),
            Figure(c, s, "crashes", self.crashes, self.crashes == 0),
            Figure(c, s, "files written outside temp", self.written_outside,
                   self.written_outside == 0),
            Figure(c, s, "temp files left", self.temp_left, self.temp_left == 0),
            Figure(c, s, "seconds", round(self.seconds, 1)),
        ]


def load_expected(corpus_dir: Path) -> dict[str, dict]:
    return json.loads((Path(corpus_dir) / "expected.json").read_text(encoding="utf-8"))["files"]


def run_bad_inputs(corpus_dir: Path = DEFAULT_CORPUS, workdir: Path | None = None,
                   only: tuple[str, ...] = ()) -> BadInputFigures:
    """Read every corpus file (generated ones built into `workdir` or a temp folder) and
    compare what the user would see with expected.json."""
    from reliability.bad_corpus import write_large

    expected = load_expected(corpus_dir)
    if only:
        expected = {k: v for k, v in expected.items() if k in only}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="marine-bad-", dir=workdir) as tmp:
        root = Path(tmp)
        generated = root / "generated"
        if any(e.get("generated") for e in expected.values()):
            write_large(generated)
        outcomes, outside, left = [], 0, 0
        for name, want in expected.items():
            path = (generated if want.get("generated") else Path(corpus_dir)) / name
            outcome, wrote, kept = _try_one(path, want, root / "sandbox")
            outcomes.append(outcome)
            outside, left = outside + wrote, left + kept
    return _figures(outcomes, outside, left, time.perf_counter() - started)


def _figures(outcomes: list[Outcome], outside: int, left: int,
             seconds: float) -> BadInputFigures:
    count = lambda verdict: sum(o.verdict == verdict for o in outcomes)  # noqa: E731
    return BadInputFigures(
        tried=len(outcomes), rejected_clearly=count("rejected"),
        repaired_clearly=count("repaired"), accepted=count("accepted"),
        unclear=count("unclear"), crashes=count("crash"), written_outside=outside,
        temp_left=left, seconds=seconds, outcomes=tuple(outcomes))


@contextmanager
def _sandbox(folder: Path):
    """Run with `folder/cwd` as the working directory and `folder/tmp` as the temp folder."""
    cwd, tmp = folder / "cwd", folder / "tmp"
    cwd.mkdir(parents=True)
    tmp.mkdir()
    old_cwd, old_tmp = os.getcwd(), tempfile.tempdir
    os.chdir(cwd)
    tempfile.tempdir = str(tmp)
    try:
        yield cwd, tmp
    finally:
        os.chdir(old_cwd)
        tempfile.tempdir = old_tmp


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _try_one(path: Path, want: dict, sandbox: Path) -> tuple[Outcome, int, int]:
    """The outcome for one file, files written outside the temp folder, files left in it."""
    import shutil

    from marine.uploads import UploadError, read_upload_file

    watched = [path.parent, sandbox.parent, Path("/tmp")]
    before = {folder: _files_under(folder) for folder in watched[:2]}
    before_tmp = {p for p in Path("/tmp").glob("evil*")}
    started = time.perf_counter()
    with _sandbox(sandbox) as (cwd, tmp):
        try:
            upload = read_upload_file(path, want.get("upload_name"))
            outcome = _judge_accepted(path.name, upload, want)
        except UploadError as exc:
            outcome = _judge_refused(path.name, str(exc), want)
        except Exception as exc:  # a traceback would reach the user
            outcome = Outcome(path.name, "crash", f"{type(exc).__name__}: {exc}", 0.0)
        wrote = len(_files_under(cwd))
        left = len(_files_under(tmp))
    shutil.rmtree(sandbox, ignore_errors=True)
    wrote += sum(len(_files_under(f) - before[f]) for f in watched[:2])
    wrote += len({p for p in Path("/tmp").glob("evil*")} - before_tmp)
    seconds = time.perf_counter() - started
    return Outcome(outcome.name, outcome.verdict, outcome.message, seconds), wrote, left


def clear_message_problem(message: str) -> str | None:
    """Why `message` is not a clear message for a person, or None."""
    if not message.strip():
        return "empty message"
    if len(message) > MAX_MESSAGE_CHARS:
        return f"message of {len(message):,} characters (limit {MAX_MESSAGE_CHARS})"
    if "Traceback" in message or 'File "' in message:
        return "message carries a traceback"
    raw = [c for c in message if unicodedata.category(c) in ("Cc", "Cf")]
    if raw:
        return f"message carries raw control/format characters {[hex(ord(c)) for c in raw]}"
    return None


def _judge_refused(name: str, message: str, want: dict) -> Outcome:
    problem = clear_message_problem(message)
    if problem:
        return Outcome(name, "unclear", f"{problem}: {message[:200]}", 0.0)
    if "error" not in want:
        return Outcome(name, "unclear", f"refused, but expected {want}: {message}", 0.0)
    if want["error"] not in message:
        return Outcome(name, "unclear", f"expected {want['error']!r} in: {message}", 0.0)
    return Outcome(name, "rejected", message, 0.0)


def _judge_accepted(name: str, upload, want: dict) -> Outcome:
    notes = "; ".join(upload.notes)
    problem = clear_message_problem(notes) if notes else None
    if problem:
        return Outcome(name, "unclear", f"repair note: {problem}", 0.0)
    if "repair" in want:
        verdict = "repaired" if want["repair"] in notes else "unclear"
        return Outcome(name, verdict, notes or f"accepted without the note {want['repair']!r}",
                       0.0)
    if "accepted" in want and upload.kind == want["accepted"]:
        return Outcome(name, "accepted", notes or f"accepted as {upload.kind}", 0.0)
    return Outcome(name, "unclear", f"accepted as {upload.kind} ({notes}), expected {want}",
                   0.0)


# --------------------------------------------------------------------------- mutations
@dataclass(frozen=True)
class MutationFigures:
    """Corpus files with random bytes changed, cut short or with JSON/XML characters put in:
    every one must be refused with an UploadError or read (never another exception)."""

    tried: int
    refused: int
    accepted: int
    crashes: int
    temp_left: int
    seed: int
    seconds: float
    problems: tuple[str, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return self.crashes == 0 and self.temp_left == 0

    def rows(self) -> list[Figure]:
        s, c = f"{self.tried} mutated corpus files (seed {self.seed})", "bad inputs"
        return [
            Figure(c, s, "mutated inputs tried", self.tried),
            Figure(c, s, "refused with a message", self.refused),
            Figure(c, s, "still readable", self.accepted),
            Figure(c, s, "crashes", self.crashes, self.crashes == 0),
            Figure(c, s, "temp files left", self.temp_left, self.temp_left == 0),
            Figure(c, s, "seconds", round(self.seconds, 1)),
        ]


INSERTS = (b"[", b"]", b",", b"{", b"}", b"-", b"e999", b"NaN", b'"', b"<", b">", b"&",
           b"\x00", b"\xff\xfe", b"]]]]", b"<!DOCTYPE x [<!ENTITY a 'b'>]>")


def mutate(data: bytes, rng) -> bytes:
    """One random damage: bytes changed, the file cut short, or a syntax character put in."""
    out = bytearray(data)
    roll = rng.random()
    if roll < 0.4:
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif roll < 0.7:
        del out[rng.randrange(len(out)):]
    else:
        at = rng.randrange(len(out))
        out[at:at] = rng.choice(INSERTS)
    return bytes(out)


def run_mutations(corpus_dir: Path = DEFAULT_CORPUS, count: int = 300, seed: int = 7,
                  workdir: Path | None = None) -> MutationFigures:
    import random

    from marine.uploads import FORMATS, UploadError, read_upload
    from reliability.bad_corpus import write_gdal_built

    rng = random.Random(seed)
    refused = accepted = 0
    problems: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="marine-mut-", dir=workdir) as tmp, \
            _sandbox(Path(tmp)) as (_cwd, private):
        # the committed files and the shapefiles/GeoPackages built at run time
        built = write_gdal_built(Path(tmp) / "gdal-built")
        sources = sorted((p for p in [*Path(corpus_dir).iterdir(), *built]
                          if p.suffix in FORMATS and p.stat().st_size > 0),
                         key=lambda p: p.name)
        for i in range(count):
            source = rng.choice(sources)
            try:
                read_upload(source.name, mutate(source.read_bytes(), rng))
                accepted += 1
            except UploadError:
                refused += 1
            except Exception as exc:  # a traceback would reach the user
                problems.append(f"mutation {i} of {source.name}: {type(exc).__name__}: "
                                f"{str(exc)[:120]}")
        left = len(_files_under(private))
    return MutationFigures(tried=count, refused=refused, accepted=accepted,
                           crashes=len(problems), temp_left=left, seed=seed,
                           seconds=time.perf_counter() - started, problems=tuple(problems))


def bad_inputs_check(quick: bool, workdir: Path):
    """`marine check`: the whole corpus, then mutated copies (300 quick, 3,000 full)."""
    yield run_bad_inputs(DEFAULT_CORPUS, workdir)
    yield run_mutations(DEFAULT_CORPUS, 300 if quick else 3000, workdir=workdir)


register(Check("bad-inputs", "hostile and broken uploads: rejected clearly, crashes",
               bad_inputs_check, order=50))
