"""Adapt the store's records into a `PackContent` (used by `marine pack` and the app's page).

Only what a pack may show leaves the store: comment bodies without authors (hidden comments
never), position counts without names, the chosen version of each proposal.
"""

from __future__ import annotations

from collections.abc import Sequence

from marine.catalogue import Catalogue
from marine.errors import MarineError
from marine.mappack.content import MeetingInfo, PackContent, PackRequest, ProposalSnapshot


def default_layer_ids(catalogue: Catalogue) -> tuple[str, ...]:
    """Layers a pack carries when the caller names none, as the registry declares them
    (`in_packs`: the claims context, shipping, fisheries, environment, the gazetteer), then
    the data library's layers; layers shipped without geometry are left out."""
    return tuple(s.id for s in catalogue.defaults("pack") if not is_empty_layer(catalogue, s.id))


def is_empty_layer(catalogue: Catalogue, layer_id: str) -> bool:
    """A layer shipped without geometry (it says why in `empty_reason`): never a default,
    never drawn. Only such declared layers are loaded to check (they are empty or small)."""
    spec = catalogue.spec(layer_id)
    return bool(spec.empty_reason) and len(catalogue.load(layer_id)) == 0


def parse_proposal_ref(text: str) -> tuple[int, int | None]:
    """'12' → (12, None: latest); '12@3' → (12, 3)."""
    ident, _, version = str(text).strip().partition("@")
    try:
        return int(ident.removeprefix("P-")), (int(version) if version else None)
    except ValueError:
        raise MarineError(
            f"proposal '{text}' is not a proposal number; write 12 (latest version) or 12@3"
        ) from None


def _report(version, catalogue: Catalogue) -> dict:
    if version.report:
        return dict(version.report)
    from marine.analysis import overlap_report  # stored without one: compute it now

    return overlap_report(version.geometry, catalogue).to_dict()


def snapshot(store, actor, proposal_id: int, number: int | None, catalogue: Catalogue,
             group_names: dict[int, str]) -> ProposalSnapshot:
    proposal = store.proposals.get(actor, proposal_id)
    version = proposal.latest if number is None else store.proposals.version(
        actor, proposal_id, number)
    positions = store.positions.summary(actor, proposal_id, version.number)
    comments = [c.body for c in store.comments.list(actor, proposal_id, version.number)
                if not c.hidden]
    return ProposalSnapshot(
        id=f"P-{proposal_id}", title=version.title, kind=proposal.summary.kind,
        group=group_names.get(proposal.summary.group_id, str(proposal.summary.group_id)),
        version=version.number, text=version.text, attributes=dict(version.attributes or {}),
        geometry=version.geometry, report=_report(version, catalogue),
        position_counts=dict(positions.counts), comments=tuple(comments),
        status=proposal.summary.status)


def content_from_store(store, request: PackRequest, catalogue: Catalogue,
                       actor=None) -> PackContent:
    """The pack content for `request`, read from `store` as `actor` (default: the operator)."""
    from marine.store.access import SYSTEM

    actor = SYSTEM if actor is None else actor
    group = store.groups.get(int(request.group) if str(request.group).isdigit() else request.group)
    names = {g.id: g.name for g in store.groups.list()}
    refs: Sequence[tuple[int, int | None]] = [parse_proposal_ref(r) for r in request.proposal_ids]
    if not refs:  # the whole group, latest versions (none: a pack of the context layers)
        refs = [(s.id, None) for s in store.proposals.list(actor, group=group.id, limit=500)]
        refs = sorted(refs)
    proposals = [snapshot(store, actor, pid, num, catalogue, names) for pid, num in refs]
    layer_ids = request.layer_ids or default_layer_ids(catalogue)
    meeting = MeetingInfo(title=request.title, date=request.date, venue=request.venue,
                          working_group=group.name)
    return PackContent(meeting=meeting, proposals=proposals, layer_ids=tuple(layer_ids),
                       catalogue=catalogue, page_size=request.page_size, lang=request.lang)
