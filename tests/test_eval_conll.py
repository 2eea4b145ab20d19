"""scripts/eval_conll.py's reader and scorer on a tiny in-memory CoNLL-2003 snippet (no data from ../conll)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import eval_conll  # noqa: E402
from builder.quality import score  # noqa: E402

pytestmark = pytest.mark.unit

# Two documents: the first in IOB1 (eng.testa's own tagging: I- opens an entity, B- only between two of a type),
# the second in IOB2 (B- opens every entity), as the repositories' train.txt/valid.txt copies have it.
SNIPPET = """-DOCSTART- -X- O O

SOCCER NN I-NP O
- : O O
JAPAN NNP I-NP I-LOC
GET VB I-VP O
LUCKY NNP I-NP O
WIN NNP I-NP O
. . O O

Nadim NNP I-NP I-PER
Ladki NNP I-NP I-PER
said VBD I-VP O
" " O O
the DT I-NP O
U.S. NNP I-NP I-LOC
Army NNP I-NP I-ORG
Corps NNP I-NP B-ORG
" " O O
won't MD I-VP O
come VB I-VP O
( ( O O
Reuters NNP I-NP I-ORG
) ) O O
to TO I-PP O
the DT I-NP O
Asian JJ I-NP I-MISC
Cup NNP I-NP I-MISC
's POS B-NP O
final NN I-NP O
. . O O

-DOCSTART- -X- -X- O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

BRUSSELS NNP B-NP B-LOC
1996-08-22 CD I-NP O
"""


@pytest.fixture
def docs():
    return eval_conll.read_conll(SNIPPET.splitlines())


def test_documents_split_at_docstart(docs):
    assert len(docs) == 2
    assert [len(d.sentences) for d in docs] == [2, 2]


def test_spans_read_both_iob1_and_iob2(docs):
    assert docs[0].gold() == {("LOC", "JAPAN"), ("PER", "Nadim Ladki"), ("LOC", "U.S."), ("ORG", "Army"),
                              ("ORG", "Corps"), ("ORG", "Reuters")}  # B-ORG after I-ORG opens a second name
    assert docs[1].gold() == {("PER", "Peter Blackburn"), ("LOC", "BRUSSELS")}


def test_misc_is_not_scored(docs):
    assert not any("Asian" in surface for _, surface in docs[0].gold())


def test_detokenised_text_holds_every_gold_surface(docs):
    text = docs[0].text()
    assert text.split("\n\n")[0] == "SOCCER - JAPAN GET LUCKY WIN."
    assert 'Nadim Ladki said "the U.S. Army Corps" won\'t come (Reuters) to the Asian Cup\'s final.' in text
    for doc in docs:
        assert all(surface in doc.text() for _, surface in doc.gold())


def test_articles_are_front_matter_files_whose_body_is_the_whole_document(docs, tmp_path):
    gold = eval_conll.write_articles(docs, tmp_path / "articles", "testa")
    assert sorted(gold) == ["doc-0001.txt", "doc-0002.txt"]
    written = (tmp_path / "articles" / "doc-0002.txt").read_text("utf-8")
    assert written == "---\ntitle: CoNLL-2003 testa document 2\n---\nPeter Blackburn\n\nBRUSSELS 1996-08-22\n"


def test_scored_as_eval_ner_scores_with_precision_by_rule_family(docs):
    gold = {"doc-0002.txt": docs[1].gold()}
    predicted = {"doc-0002.txt": {("PER", "Peter"), ("LOC", "Brussels")}}  # case does not matter; a fragment is wrong
    report = score(gold, predicted)
    assert report["scores"]["all"]["tp"] == 1 and report["scores"]["all"]["pred"] == 2
    assert report["scores"]["LOC"]["f1"] == 1.0 and report["scores"]["PER"]["recall"] == 0.0
    why = {"doc-0002.txt": {("PER", "peter"): "model:PERSON", ("LOC", "brussels"): "place:Brussels"}}
    by_rule = eval_conll.precision_by_rule(gold, predicted, why)
    assert by_rule["model"]["precision"] == 0.0 and by_rule["gazetteer"]["precision"] == 1.0


def test_a_missing_data_folder_exits_2_and_says_where_the_data_lives(tmp_path, capsys):
    assert eval_conll.main(["--conll", str(tmp_path / "nowhere"), "--split", "testa"]) == 2
    message = capsys.readouterr().err
    assert "outside the project" in message and "testb" in message


def test_testb_is_never_read(tmp_path):
    (tmp_path / "eng.testb").write_text("-DOCSTART- -X- O O\n")
    (tmp_path / "test.txt").write_text("-DOCSTART- -X- O O\n")
    assert eval_conll.find_split(tmp_path, "testa") is None and eval_conll.find_split(tmp_path, "testb") is None
