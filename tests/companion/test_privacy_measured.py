"""The privacy rule, measured rather than hoped: labelled sets of texts written the way patients and nurses say
things (privacy_sets/, English and Spanish, each written by someone who had not seen the lexicon), half of them
private across every category and half everyday clinic talk that shares their words. The figures print with every
run (README, "Private facts"); the test fails below the bars the clinic asked for."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from companion.content import load_content

SETS = Path(__file__).with_name("privacy_sets")
# The set names suicide and self-harm apart; the app keeps them in one safety category.
CATEGORY_OF = {"suicide": "suicide_self_harm", "self_harm": "suicide_self_harm", "abuse": "abuse_violence"}
SAFETY_RECALL = 0.95  # suicide, self-harm, abuse
OVERALL_RECALL = 0.90
FALSE_HIDES = 0.10


@pytest.fixture(scope="module")
def measured() -> dict:
    phrases = [
        phrase for path in sorted(SETS.glob("*.toml")) for phrase in tomllib.loads(path.read_text("utf-8"))["phrase"]
    ]
    rules = load_content().privacy
    found, total, hidden_by_mistake, ordinary = Counter(), Counter(), [], 0
    wrong_category = []
    for phrase in phrases:
        verdict = rules.judge(phrase["text"])
        if phrase["category"] == "none":
            ordinary += 1
            if verdict.private:
                hidden_by_mistake.append(phrase["text"])
            continue
        total[phrase["category"]] += 1
        if verdict.private:
            found[phrase["category"]] += 1
            if verdict.category != CATEGORY_OF.get(phrase["category"], phrase["category"]):
                wrong_category.append(phrase["text"])
    return {
        "phrases": phrases,
        "recall": {category: found[category] / total[category] for category in total},
        "overall": sum(found.values()) / sum(total.values()),
        "false_hides": len(hidden_by_mistake) / ordinary,
        "hidden_by_mistake": hidden_by_mistake,
        "wrong_category": wrong_category,
        "counts": total,
        "ordinary": ordinary,
    }


def test_the_figures_print_with_every_run(measured, capsys):
    lines = [f"{'category':<20} recall"]
    lines += [f"{category:<20} {measured['recall'][category]:.2f}" for category in sorted(measured["recall"])]
    lines += [
        f"{'overall':<20} {measured['overall']:.2f}",
        f"false hides          {measured['false_hides']:.3f} of {measured['ordinary']} everyday texts",
        f"right category       {1 - len(measured['wrong_category']) / sum(measured['counts'].values()):.2f}",
    ]
    with capsys.disabled():
        print(f"\nPrivacy rule on {len(measured['phrases'])} labelled texts (tests/companion/privacy_sets):")
        print("\n".join(lines))


def test_the_set_is_big_enough_and_covers_every_category_in_both_languages(measured):
    phrases = measured["phrases"]
    assert len(phrases) >= 300
    languages = Counter((p["lang"], p["category"] == "none") for p in phrases)
    assert all(languages[(lang, ordinary)] >= 100 for lang in ("en", "es") for ordinary in (True, False))
    categories = {p["category"] for p in phrases} - {"none"}
    assert categories == {*CATEGORY_OF, *load_content().privacy.lexicon.by_key} - set(CATEGORY_OF.values())


@pytest.mark.parametrize("category", ["suicide", "self_harm", "abuse"])
def test_safety_facts_are_caught_at_least_95_in_100(measured, category):
    assert measured["recall"][category] >= SAFETY_RECALL


def test_nine_in_ten_private_facts_are_caught_and_at_most_one_in_ten_everyday_ones_hidden(measured):
    assert measured["overall"] >= OVERALL_RECALL
    assert measured["false_hides"] <= FALSE_HIDES, measured["hidden_by_mistake"]
