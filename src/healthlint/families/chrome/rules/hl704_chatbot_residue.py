"""HL704 chatbot-residue: a chatbot's side of the exchange left in the article (its reply, its prompt, its offer)."""

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "A chatbot's reply, self-description, leaked prompt or offer to revise left in the article"
DOC = """
## What it flags
Sentences that belong to a chatbot's exchange, not to the article it produced:
- the assistant's reply framing the writing it was asked for: "Okay, here's a 1,500-word,
  SEO-optimized article on …", "Here is the revised version:", "I've rewritten your text …"
  (an acknowledgement followed by "here is" and a piece of writing counts at the article's
  opening; elsewhere the sentence must also say what the piece was made to be: a word count,
  "SEO", "structured for", "as requested");
- the model speaking of itself: "As an AI language model, I …", "I am an AI", "my knowledge
  cutoff", "as of my last update";
- the generator's prompt leaking through: "Based on the provided reference, …", "according to
  the given text", the text "you provided", template slots such as "[Insert statistic]" or
  "[Your Name]", a writing brief's labels at the start of a line ("Meta description:", "SEO
  title:", "Word count:");
- the closing offer to revise: "Let me know if you'd like me to expand …", "Would you like me
  to …", "Feel free to ask for changes".

Quoted text is not residue: an article about chatbots that quotes one (in quotation marks, a
quoted block or code, or after "says" or "such as") is not flagged. Nor are a blogger's "let me
know in the comments" or "let me know if you'd like me to share my meal plan", nor a person's
"I'm an AI researcher", "the updated version of our policy" or "the provided syringe"; nor a
chatty opening that names what the reader gets ("Okay, here's a quick guide to ..."), a blogger's
"would you like me to write a post about ...", a web form's "[Enter your email]" or an editor's
"[your GP]". The finding covers the sentence and names the kind.

## Why it matters
An article published with the chatbot's side of the exchange still in it was published unread:
nobody checked the rest of the text either. It is withheld until an editor has read it.

## Example
```text
Sure! Here's a 1,200-word article on easing knee pain, optimized for SEO.

Knee pain often eases with rest, ice and gentle movement.
```

## Instead
Remove the assistant's text, fill or delete the template's slots, and have an editor read the
whole article (facts, advice and sources) before it is published.

## Options
None. The words that fill the grammar's slots (acknowledgements, pieces of writing, a brief's
labels, template slots) are in `healthlint/families/chrome/data/chatbot_cues.tsv`.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from healthlint.families.chrome.residue import residue_hits  # loaded by the runs that use it

    yield from residue_hits(article)


RULE = Rule("HL704", "chatbot-residue", SUMMARY, Severity.ERROR, check, DOC)
