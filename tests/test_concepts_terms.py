"""Every searchable concept has its score property declared in concept_terms.ttl, and no stray ones.

Topic search ranks by the per-concept sub-property score/<id> of ms:topicScore; a concept
added to a scheme without its line there would still be scored but undeclared in the ontology.
"""

from __future__ import annotations

import re

from loaders.concepts import CONCEPTS_DIR, ancestors, fold, search_concepts


def declared_scores() -> set[str]:
    text = (CONCEPTS_DIR / "concept_terms.ttl").read_text(encoding="utf-8")
    return set(re.findall(r"^score:([A-Za-z0-9_]+) a owl:DatatypeProperty", text, flags=re.M))


def test_every_search_concept_has_a_declared_score_property():
    concepts = set(search_concepts())
    declared = declared_scores()
    assert sorted(concepts - declared) == []
    assert sorted(declared - concepts) == []


def test_no_label_names_two_concepts_where_one_is_broader():
    """A label shared by a concept and its ancestor makes every mention ambiguous."""
    vocabulary = search_concepts()
    owner: dict[str, set[str]] = {}
    for concept in vocabulary.values():
        for label in concept.labels_zh():
            owner.setdefault(fold(label), set()).add(concept.id)
    clashes = [
        (label, sorted(ids)) for label, ids in owner.items()
        if any(a in ancestors(b) for a in ids for b in ids if a != b)
    ]
    assert clashes == []
