"""Counts words in the text of an event with a small C extension (vendor/textstats)."""
import textstats


def lambda_handler(event, context):
    text = event.get("text", "")
    return {"words": textstats.count_words(text), "characters": len(text)}
