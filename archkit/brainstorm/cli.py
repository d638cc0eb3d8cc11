"""``archkit brainstorm …``: rank decisions, estimate capacity, browse the catalogue, write ADRs.

Usage::

    archkit brainstorm check examples/order_platform/requirements.yaml [--json]
    archkit brainstorm rank examples/order_platform/decisions.yaml [--json]
    archkit brainstorm estimate examples/order_platform/requirements.yaml [--json]
    archkit brainstorm catalogue [ID] [--json]
    archkit brainstorm adr examples/order_platform/decisions.yaml --out docs/decisions
    archkit brainstorm suggest "Kafka or RabbitMQ?" [--context TEXT] [--json]

Heavy work is imported inside the handlers so ``archkit --help`` stays instant.
"""

from __future__ import annotations

import argparse

from archkit.cli import add_json_flag, emit, exit_code_for

__all__ = ["register"]


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    chk = sub.add_parser("check", help="validate a requirements file (codes BR201-BR208)")
    chk.add_argument("file", help="requirements YAML")
    add_json_flag(chk)
    chk.set_defaults(func=_check)

    rank = sub.add_parser("rank", help="rank the options of each decision, with sensitivity")
    rank.add_argument("file", help="decisions YAML (see examples/order_platform/decisions.yaml)")
    add_json_flag(rank)
    rank.set_defaults(func=_rank)

    est = sub.add_parser("estimate", help="back-of-envelope capacity estimate of requirements")
    est.add_argument("file", help="requirements YAML")
    add_json_flag(est)
    est.set_defaults(func=_estimate)

    cat = sub.add_parser("catalogue", help="list the built-in decision catalogue, or show one")
    cat.add_argument("id", nargs="?", help="an entry id, e.g. messaging")
    add_json_flag(cat)
    cat.set_defaults(func=_catalogue)

    adr = sub.add_parser("adr", help="write an ADR draft per decision (reruns change nothing)")
    adr.add_argument("file", help="decisions YAML")
    adr.add_argument("--out", required=True, help="ADR folder to write into")
    adr.add_argument("--dialect", choices=["madr", "nygard"], default="madr")
    adr.add_argument("--date", help="date for new records (default: today)")
    adr.add_argument("--overwrite", action="store_true",
                     help="replace drafts that differ (e.g. edited by a person)")
    add_json_flag(adr)
    adr.set_defaults(func=_adr)

    sug = sub.add_parser("suggest", help="options for a question from Claude, else the catalogue")
    sug.add_argument("question")
    sug.add_argument("--context", default="", help="what matters for this system")
    add_json_flag(sug)
    sug.set_defaults(func=_suggest)


def _check(args: argparse.Namespace) -> int:
    from archkit.brainstorm.requirements import load_requirements

    reqs = load_requirements(args.file)
    found = reqs.validate()
    data = {"name": reqs.name, "entities": len(reqs.entities),
            "relationships": len(reqs.relationships), "endpoints": len(reqs.endpoints),
            "findings": found.to_list()}
    summary = (f"{reqs.name}: {len(reqs.entities)} entities, {len(reqs.relationships)} "
               f"relationships, {len(reqs.endpoints)} endpoints, {len(found)} findings")
    emit(args, data, "\n".join([summary, *(str(f) for f in found)]))
    return exit_code_for(f.severity for f in found)


def _rank(args: argparse.Namespace) -> int:
    from archkit.brainstorm.load import load_decisions
    from archkit.brainstorm.matrix import evaluate, sensitivity

    found = load_decisions(args.file)
    out, lines = [], []
    for d in found:
        m = evaluate(d)
        sens = sensitivity(d, m)
        out.append({"id": d.id, "question": d.question, "verdict": m.verdict(),
                    "matrix": m.to_dict(), "sensitivity": [s.to_dict() for s in sens]})
        lines.append(f"{d.id}: {m.verdict()}")
        lines += [f"  {i}. {r.option} {r.total:.2f}" for i, r in enumerate(m.rows, 1)]
        lines += [f"  - {s.describe()}" for s in sens if s.lower or s.upper]
    lines += [str(f) for f in found.problems]
    emit(args, {"decisions": out, "findings": found.problems.to_list()}, "\n".join(lines))
    return exit_code_for(f.severity for f in found.problems)


def _estimate(args: argparse.Namespace) -> int:
    from archkit.brainstorm.requirements import load_requirements

    reqs = load_requirements(args.file)
    est = reqs.capacity()

    def text() -> str:
        rows = [f"{x.quantity}: {x.shown}   = {x.formula} = {x.working}" for x in est.lines]
        rows += [f"not estimated: {m}" for m in est.missing]
        return "\n".join(rows + [str(f) for f in reqs.problems])

    emit(args, {**est.to_dict(), "findings": reqs.problems.to_list()}, text)
    return exit_code_for(f.severity for f in reqs.problems)


def _catalogue(args: argparse.Namespace) -> int:
    from archkit.brainstorm.catalogue import load_catalogue

    cat = load_catalogue()
    if args.id:
        d = cat[args.id].to_decision()
        emit(args, d.to_dict(), d.to_markdown)
    else:
        data = [{"id": e.id, "title": e.title, "options": e.option_names, "source": e.source}
                for e in cat]
        emit(args, data, "\n".join(f"{e.id}: {', '.join(e.option_names)}" for e in cat))
    return 0


def _adr(args: argparse.Namespace) -> int:
    from pathlib import Path

    from archkit.brainstorm.load import load_decisions
    from archkit.brainstorm.to_adr import record_decisions

    found = load_decisions(args.file)
    result = record_decisions(found, Path(args.out), dialect=args.dialect, date=args.date,
                              overwrite=args.overwrite)
    data = {"files": [{"decision": i, "file": str(p), "action": a} for i, p, a in result.actions],
            "findings": found.problems.to_list()}
    lines = [f"{p}: {a}" for _, p, a in result.actions] + [str(f) for f in found.problems]
    emit(args, data, "\n".join(lines))
    return exit_code_for(f.severity for f in found.problems)


def _suggest(args: argparse.Namespace) -> int:
    from archkit.llm import suggest_options

    s = suggest_options(args.question, args.context)
    data = {"source": s.source, "message": s.message, "catalogue_id": s.catalogue_id,
            "decision": s.decision.to_dict() if s.decision else None}
    emit(args, data, lambda: s.message + ("\n\n" + s.decision.to_markdown() if s.decision else ""))
    return 0
