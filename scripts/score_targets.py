"""Score the quantities stage against the hand annotations in ../shared/gold.

Match rule (gold GUIDELINES.md): same document, predicted span overlapping the
gold quote, same value. Gold quotes are located with `str.find`; a quote that
occurs several times matches a prediction overlapping any occurrence. Pairs are
matched one to one, preferring the prediction whose span lies inside the quote
and whose indicator reads most like the gold one.

Usage: python scripts/score_targets.py [--gold DIR] [--docs DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("unit", "comparator", "year", "per_year", "kind", "area", "value_max", "forecast", "region")
# Fields that must all be right for a statement to count as "exact".
EXACT_FIELDS = ("unit", "comparator", "year", "per_year", "kind", "area", "value_max")


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)), abs(float(b)))


def field_equal(name: str, gold: dict, pred: dict) -> bool:
    g, p = gold.get(name), pred.get(name)
    if name == "forecast":
        return bool(g) == bool(p)
    if name == "value_max":
        return same_value(g, p)
    if name == "region":
        return _same_region(g, p)
    return g == p


def _same_region(a, b) -> bool:
    """Exact, as the guidelines write regions (河东区, not 天津市河东区)."""
    return (a or None) == (b or None)


def bigram_dice(a: str, b: str) -> float:
    """Indicator similarity: Dice coefficient over character bigrams."""
    def grams(text):
        return {text[i:i + 2] for i in range(len(text) - 1)} or {text}
    if not a or not b:
        return 0.0
    ga, gb = grams(a), grams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(quote)
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def match_document(text: str, gold: list[dict], predicted: list[dict]) -> list[tuple[dict, dict | None]]:
    """One-to-one pairs (gold, prediction or None)."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        spans = quote_spans(text, g["quote"])
        best, best_score = None, None
        for i, p in enumerate(predicted):
            if i in used or not same_value(g["value"], p["value"]):
                continue
            inside = [s for s in spans if p["start"] < s[1] and s[0] < p["end"]]
            if not inside:
                continue
            contained = any(s[0] <= p["start"] and p["end"] <= s[1] for s in inside)
            score = (contained, bigram_dice(g["indicator"], p["indicator"]))
            if best_score is None or score > best_score:
                best, best_score = i, score
        if best is not None:
            used.add(best)
            pairs.append((g, predicted[best]))
        else:
            pairs.append((g, None))
    return pairs


def summarise(pairs: list[tuple[dict, dict | None]], n_pred: int) -> dict:
    matched = [(g, p) for g, p in pairs if p is not None]
    n_gold, n_match = len(pairs), len(matched)
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fields = {
        name: (sum(field_equal(name, g, p) for g, p in matched) / n_match if n_match else 0.0)
        for name in FIELDS
    }
    fields["indicator_sim"] = (
        sum(bigram_dice(g["indicator"], p["indicator"]) for g, p in matched) / n_match if n_match else 0.0
    )
    exact = sum(all(field_equal(f, g, p) for f in EXACT_FIELDS) for g, p in matched)
    return {
        "gold": n_gold, "predicted": n_pred, "matched": n_match,
        "precision": precision, "recall": recall, "f1": f1,
        "fields": fields, "exact_share": exact / n_gold if n_gold else 0.0,
    }


def score(gold_dir: Path, docs_dir: Path, *, details: bool = False) -> dict:
    from dataclasses import asdict

    from loaders.pipeline import read_document
    from loaders.quantities import extract_statements

    per_doc, all_pairs, all_pred, errors = {}, [], 0, {}
    for gold_file in sorted(gold_dir.glob("*.jsonl")):
        name = gold_file.name[: -len(".jsonl")]
        path = docs_dir / name
        if not path.exists():
            continue
        gold = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        # Decode, outline and metadata through the pipeline; only our stage runs after them,
        # so a broken sibling extractor cannot break the score.
        doc = read_document(path, extract=False)
        doc.statements = extract_statements(doc)
        predicted = [asdict(s) for s in doc.statements]
        pairs = match_document(doc.text, gold, predicted)
        per_doc[name] = summarise(pairs, len(predicted))
        all_pairs += pairs
        all_pred += len(predicted)
        if details:
            used = {id(p) for _, p in pairs if p is not None}
            errors[name] = {
                "missed": [g for g, p in pairs if p is None],
                "wrong": [
                    {"gold": g, "pred": p, "fields": [f for f in EXACT_FIELDS if not field_equal(f, g, p)]}
                    for g, p in pairs if p is not None and not all(field_equal(f, g, p) for f in EXACT_FIELDS)
                ],
                "spurious": [p for p in predicted if id(p) not in used],
            }
    result = {"overall": summarise(all_pairs, all_pred), "documents": per_doc}
    if details:
        result["errors"] = errors
    return result


def format_table(result: dict) -> str:
    names = list(FIELDS) + ["indicator_sim"]
    head = f"{'document':<32} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6} " + " ".join(
        f"{n[:8]:>8}" for n in names) + f" {'exact':>6}"
    lines = [head]
    rows = list(result["documents"].items()) + [("OVERALL", result["overall"])]
    for name, r in rows:
        lines.append(
            f"{name[:32]:<32} {r['gold']:>4} {r['predicted']:>4} {r['precision']:>6.3f} {r['recall']:>6.3f} "
            f"{r['f1']:>6.3f} " + " ".join(f"{r['fields'][n]:>8.3f}" for n in names)
            + f" {r['exact_share']:>6.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="also list missed, wrong and spurious statements")
    args = parser.parse_args(argv)
    if not args.gold.is_dir() or not args.docs.is_dir():
        print(f"error: gold folder {args.gold} or documents folder {args.docs} not found", file=sys.stderr)
        return 2
    result = score(args.gold, args.docs, details=args.errors)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(format_table(result))
        if args.errors:
            for doc, err in result["errors"].items():
                print(f"\n## {doc}")
                for g in err["missed"]:
                    print(f"  MISSED  {g['quote']!r} {g['value']} {g['unit']} {g['kind']}")
                for w in err["wrong"]:
                    g, p = w["gold"], w["pred"]
                    diffs = ", ".join(f"{f}: {g.get(f)!r}≠{p.get(f)!r}" for f in w["fields"])
                    print(f"  WRONG   {g['quote']!r} [{diffs}]")
                for p in err["spurious"]:
                    print(f"  EXTRA   {p['text']!r} {p['value']} {p['unit']} {p['kind']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
