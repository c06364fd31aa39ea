"""Language detection in batches gives py3langid's answers."""

from __future__ import annotations

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from archive.language import MIN_CONFIDENCE, classify_many, detect_many

SENTENCES = [
    "The council delayed the budget vote after a long debate about school funding.",
    "Die Regierung hat am Montag neue Regeln für den Wohnungsbau vorgestellt.",
    "Le gouvernement a présenté lundi de nouvelles règles pour le logement social.",
    "El gobierno presentó el lunes nuevas normas para la vivienda social en la ciudad.",
    "Il governo ha presentato lunedì nuove regole per l'edilizia popolare.",
    "Правительство в понедельник представило новые правила строительства жилья.",
    "政府は月曜日に住宅建設の新しい規則を発表した。",
    "De regering heeft maandag nieuwe regels voor woningbouw gepresenteerd.",
    "ok", "", "12345 678",
    "A mixed one: the mayor said « pas question » and left the room in a hurry.",
]


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_batch_answers_are_py3langids(reference: LanguageIdentifier) -> None:
    batch = classify_many(SENTENCES * 3)
    for text, (code, confidence) in zip(SENTENCES * 3, batch, strict=True):
        expected_code, expected_confidence = reference.classify(text)
        assert code == expected_code, text
        assert confidence == pytest.approx(expected_confidence, abs=1e-4)


def test_a_short_or_doubtful_text_keeps_the_declared_language() -> None:
    assert detect_many(["ok", SENTENCES[1]], ["en", "en"]).to_pylist() == ["en", "de"]
    assert MIN_CONFIDENCE == 0.8


def test_an_empty_batch_is_an_empty_answer() -> None:
    assert classify_many([]) == [] and detect_many([]).to_pylist() == []
