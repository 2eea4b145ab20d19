"""Page furniture (builder/data/furniture.yml) is cut from the body at ingest, kept in Article.furniture.

The texts are written here, modelled on pasted news pages whose lines were joined: the furniture is
glued to the first or last paragraph rather than on a line of its own.
"""

import pytest

from builder.ingest import furniture
from conftest import read, write

pytestmark = pytest.mark.unit

STORY = ("Air strikes killed at least 12 civilians in the town on Tuesday, a war monitor said. "
         "The Britain-based Observatory said children were among the dead.")


def ingest(tmp_path, text, name="a.txt"):
    article, problems = read(write(tmp_path, name, text))
    assert article is not None, problems
    return article, problems


def test_footer_blocks_glued_to_the_last_paragraph_are_cut(tmp_path):
    text = ("Two pilots killed as helicopter downed\n\n" + STORY + " Source TRTWorld and agencies Related News "
            "Thousands of migrants walk into Turkey | Elections Are new policies just? A picture is worth a thousand "
            "words. Follow us on Instagram. FOLLOW TRTWORLD Dont miss out on the Latest News. SUBSCRIBE TRT World on "
            "Youtube Subscribe to our channel. Copyright \ufffd\ufffd 2018 TRT World. Watch Live TV Schedule Contact Us "
            "Terms of Use Privacy Policy\n")
    article, _ = ingest(tmp_path, text)
    assert article.body == STORY
    assert article.source == "TRT World"
    removed = " ".join(article.furniture)
    for piece in ("Related News", "FOLLOW TRTWORLD", "Copyright", "Privacy Policy", "Source TRTWorld and agencies"):
        assert piece in removed
    assert "(TRT)" not in article.body


def test_reuters_trust_principles_and_credit(tmp_path):
    text = ("Factbox: what the vote means\n\n" + STORY + " Reporting by Jane Roe; Editing by John Doe "
            "Our Standards:The Thomson Reuters Trust Principles.\n")
    article, _ = ingest(tmp_path, text)
    assert article.body == STORY + " Reporting by Jane Roe; Editing by John Doe"
    assert article.source == "Reuters"
    assert article.furniture == ["Our Standards:The Thomson Reuters Trust Principles."]


def test_sputnik_related_tags_and_comment_box(tmp_path):
    text = ("Blast kills four in Damascus\n\n" + STORY + " ... 43 Topic Violence Erupts (1881) Related Kobani in Ruins "
            "After Airstrikes Tags airstrikes Syria United States Community standardsDiscussion Comment via "
            "FacebookComment via Sputnik News\n")
    article, _ = ingest(tmp_path, text)
    assert article.body == STORY
    assert article.source == "Sputnik"


def test_tag_list_between_dek_and_story_is_cut_only_up_to_the_story(tmp_path):
    dek = "So called Islamic State group has posted online a new video showing the murder of two activists."
    story = "The Islamic State group has released a new video purporting to show the killing of two activists."
    text = f"IS video shows murder of 2 activists\n\n6 July 2015 {dek} Tags Syria Islamic State activists murder video Palmyra {story}\n"
    article, _ = ingest(tmp_path, text)
    assert article.body == f"6 July 2015 {dek} {story}"
    assert article.furniture == ["Tags Syria Islamic State activists murder video Palmyra"]
    assert article.date == "2015-07-06"


def test_tag_list_is_kept_when_the_story_start_is_unclear(tmp_path):
    # Nothing marks where the tags end and the story begins ("Warplanes carried out …"): nothing is cut.
    body = "A monitor said. Tags Syria Idlib gas attack chlorine Observatory Assad Warplanes carried out a suspected gas attack on Tuesday that killed dozens."
    article, _ = ingest(tmp_path, f"Gas attack kills dozens\n\n{body}\n")
    assert article.body == body
    assert article.furniture == []


def test_tag_list_does_not_swallow_a_sentence(tmp_path):
    # The story starts with "A US-led …": the tag list ends there, not at the later "21 civilians".
    text = ("Strike kills civilians\n\nA monitor said. Tags Syria Raqqa airstrikes Kurds Islamic State group "
            "A US-led coalition airstrike killed at least 21 civilians on Monday.\n")
    article, _ = ingest(tmp_path, text)
    assert article.body == "A monitor said. A US-led coalition airstrike killed at least 21 civilians on Monday."


def test_publication_stamps_at_the_top_are_cut_and_still_date_the_article(tmp_path):
    for stamp, date in (("Date of publication 5 July 2016", "2016-07-05"), ("Published April 8 2017", "2017-04-08")):
        article, _ = ingest(tmp_path, f"Bomber kills 14\n\n{stamp} {STORY} Read Also\n")
        assert article.body == STORY
        assert article.date == date
        assert article.furniture == ["Read Also", stamp]


def test_embedded_tweet_furniture_is_cut_but_the_quoted_tweet_kept(tmp_path):
    text = ("Aid convoy enters town\n\nA convoy entered the town with aid for 35000 people UN "
            "pic.twitter.comQs8WpeuBbN OCHA Syria (OCHASyria) September 22 2016 The UN suspended deliveries after the attack.\n\n"
            "Another post read: Aid is on its way \u2014 Jane Roe (@janeroe) March 3, 2017\n")
    article, _ = ingest(tmp_path, text)
    assert article.paragraphs == ["A convoy entered the town with aid for 35000 people UN The UN suspended deliveries after the attack.",
                                  "Another post read: Aid is on its way"]
    assert "pic.twitter.comQs8WpeuBbN OCHA Syria (OCHASyria) September 22 2016" in article.furniture


def test_furniture_lines_of_their_own(tmp_path):
    text = ("Car bomb kills four\n\nA car bomb killed four people in the city on Thursday.\n\nShare this article\n\n"
            "The army said it had arrested two suspects.\n\nTags: Syria, Damascus, car bomb\n\nFacebookComment\n\nLast updated: 12 May 2017 14:02\n\n"
            "Copyright 2017 Example News. All rights reserved.\n")
    article, _ = ingest(tmp_path, text)
    assert article.paragraphs == ["A car bomb killed four people in the city on Thursday.", "The army said it had arrested two suspects."]
    assert article.furniture == ["Share this article", "Tags: Syria, Damascus, car bomb", "FacebookComment", "Last updated: 12 May 2017 14:02",
                                 "Copyright 2017 Example News. All rights reserved."]


@pytest.mark.parametrize("sentence", [
    "Copyright education has always been important to the creative industries, she said.",
    "Tags on the bodies showed they had been held for weeks.",
    "Follow the money, the prosecutor told the court on Monday.",
    "Subscribers to the service were told of the outage on Friday.",
    "Sign up to fight, the recruiter told the men. They refused.",
    "Tag Heuer unveils a new watch",
    "Published by Penguin in 2004",
    "Read the full statement below.",
    "Those who want the details can read more.",
    "Ultima Online was the game, ahhhh them was the days! LOL",
    "The agency said it would not comment. AFP",
    "The minister said the source of the leak was unknown.",
    "It ended, as it began, with a short note from the Associated Press.",
])
def test_real_sentences_are_kept(tmp_path, sentence):
    body = STORY + "\n\n" + sentence
    article, _ = ingest(tmp_path, f"Headline\n\n{body}\n")
    assert article.body == body
    assert article.furniture == []


def test_an_unknown_source_line_stays(tmp_path):
    body = STORY + " Source a member of the council"
    article, _ = ingest(tmp_path, f"Headline\n\n{body}\n")
    assert article.body == body and article.source is None


def test_rules_are_data_and_valid():
    rules = furniture.rules()
    assert {r.where for r in rules} == {"paragraph", "head", "tail", "inline"}
    assert all(r.within > 0 for r in rules if r.where == "tail")


# That the furniture rules stay linear on a megabyte: tests/test_perf.py (the perf lane).


def test_share_widget_between_the_date_and_the_story_leaves_them_apart(tmp_path):
    article, _ = ingest(tmp_path, f"Blast kills nine\n\n11.10.2017(updated 1838 11.10.2017) Get short URL 0 113 {STORY}\n")
    assert article.body == f"11.10.2017 {STORY}"
    assert article.furniture == ["(updated 1838 11.10.2017) Get short URL 0 113"]


def test_read_also_after_a_sentence_whose_full_stop_was_lost(tmp_path):
    body = "Residents say white phosphorus is being used in civilian areas"
    article, _ = ingest(tmp_path, f"Headline\n\n{body} (Click to enlarge) Read Also\n")
    assert article.body == body
    assert article.furniture == ["Read Also", "(Click to enlarge)"]


@pytest.mark.parametrize("code", ["MBMB", "SHISHI", "218-11", "12"])
def test_editors_code_after_the_last_sentence(tmp_path, code):
    article, _ = ingest(tmp_path, f"Headline\n\n{STORY} {code}\n")
    assert article.body == STORY and article.furniture == [code]


def test_update_note_at_the_end(tmp_path):
    article, _ = ingest(tmp_path, f"Headline\n\n{STORY} Updated with detail throughout\n")
    assert article.body == STORY


@pytest.mark.unit
def test_a_slideshow_widget_is_furniture_and_kept():
    from builder.ingest import from_text

    parsed = from_text.parse("Title\n\nShells hit the area the Observatory said. Slideshow (3 Images) Islamic State fought on.")
    assert parsed.paragraphs == ["Shells hit the area the Observatory said. Islamic State fought on."]
    assert parsed.furniture == ["Slideshow (3 Images)"]
