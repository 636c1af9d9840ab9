"""The claim finder: sentences that lean on a journal, an institution or unnamed research, and overclaims.

Every pattern is compiled on first use and tried only when cheap word checks say a sentence could
match (the words sit beside their patterns in ``data/``). Sentences come from the shared text layer.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from healthlint.article import Article
from healthlint.regexcache import lazy
from healthlint.rules import RuleContext
from healthlint.text.domains import DomainSet
from healthlint.text.tokens import folded

from .citations import cite, find_references, html_anchors
from .grammar import (
    EXAMPLE_BEFORE,
    SOURCE_WORDS,
    looks_like_title,
    names_research,
    reports_back,
    source_starts,
    study_claim,
)
from .model import Analysis, Citation, Claim, Overclaim
from .options import ClaimsOptions
from .overclaims import find_overclaims
from .vocabulary import GENERIC_JOURNAL_WORDS, TOKEN_RE, Vocabulary, block_tokens, clean_name, vocabulary

#: Words between a research noun and its verb that make the sentence a plan, a hope or a denial.
_GAP_STOP_RE = lazy(
    r"\b(?:needed|need|needs|underway|planned|ongoing|will|would|could|should|must|might|hope|hopes|hoped|"
    r"aim|aims|plan|plans|try|tries|trying|designed|set|yet|not|never|failed|fail|fails|n't|cannot|can|is|are|"
    r"other)\b"
    r"|n[’']t\b",
    re.IGNORECASE,
)
_GAP_VERB_OK_RE = lazy(r"^\s*(?:(?:have|has|had|also|consistently|repeatedly|now|recently|all)\s+)*$", re.I)
_NEGATED_BEFORE_RE = lazy(
    r"(?:\b(?:no|not|few|without|nor|neither|little|limited|lack\s+of|absence\s+of|future|upcoming|planned|if|"
    r"unless|whether)\s+"
    r"(?:\w+\s+)?|n[’']t\s+(?:\w+\s+)?)$|" + EXAMPLE_BEFORE,
    re.IGNORECASE,
)
_FUTURE_STUDY_RE = lazy(r"\b(?:future|upcoming|planned|further|larger|more)\s+(?:\w+\s+)?(?:stud|trial|research)", re.I)
_STUDY_NOUN = r"\s+(?:[\w-]+\s+){0,3}?(?:study|trial|review|analysis|meta-analysis|paper|report)\b"
_ONE_STUDY_RE = lazy(r"\b(?:a|an|one|another|this)" + _STUDY_NOUN, re.IGNORECASE)
#: One study the writer has in mind but does not name ("a 2019 study", "in a small trial"); "this study" points
#: back to one already told (a follow-up), "studies" to research in general (HL303).
_A_STUDY_RE = lazy(r"\b(?:a|an|one|another)" + _STUDY_NOUN, re.IGNORECASE)
_NOT_JOURNALS = lazy(
    r"(?:Wall\s+Street|Milwaukee|Atlanta|Providence|Albuquerque|Winston-Salem|Lincoln|Sacramento|Kansas\s+City|"
    r"Ottawa|Edmonton|Montreal|Business|Daily|Evening|Morning|Sunday)\s+Journal|Journal[- ](?:Constitution|Sentinel|"
    r"Star|News|Gazette|Record|Times|Inquirer|Register)"
)
_NAME_BEFORE_RE = lazy(r"[A-Z][\w'’&-]*\s+(?:of|for|on)\s+(?:the\s+)?$")
_NAME_AFTER_RE = lazy(r"\s+(?:[A-Z][a-z]|&\s+[A-Z])")
_ANAPHORA_RE = lazy(r"\b(?:the|this|that|these|those|their|its|our|his|her|such|same)\s+$", re.IGNORECASE)
#: How many sentences on a follow-up ("The researchers found…") may come after the claim it continues.
_FOLLOW_UP_WINDOW = 3
_INFINITIVE_GAP_RE = lazy(r"^\s+to\s*$|\s(?:to|that)\s*$", re.IGNORECASE)


def analysis_for(ctx: RuleContext) -> Analysis:
    """The article's analysis, computed once and shared by the family's rules (which record its counts)."""
    options: ClaimsOptions = ctx.options()
    result = ctx.shared("claims:analysis", lambda: analyse(ctx.article, options, ctx.config.trusted()))
    ctx.metrics["study_claims"] = len(result.claims)
    ctx.metrics["uncited_study_claims"] = sum(1 for c in result.claims if not c.citations)
    ctx.metrics["overclaims"] = len(result.overclaims)
    return result


def analyse(article: Article, options: ClaimsOptions, trusted: DomainSet) -> Analysis:
    """Find every research claim and overclaim in an article, with the citations of each claim."""
    vocab = vocabulary(options)
    refs = find_references(article, vocab)
    anchors = html_anchors(article)
    links = [link for link in article.links if link.kind != "image"]
    claims: list[Claim] = []
    overclaims: list[Overclaim] = []
    seq = 0
    for index, block in enumerate(article.blocks):
        if index in refs.skip_blocks:
            continue
        text = block.text
        cased_block = block_tokens(block)
        lower = set(map(str.lower, cased_block))
        # where a research source may start: the grammar reads only the sentences holding one, and a
        # follow-up ("They found that…") needs one in its block
        sources = source_starts(text) if block.kind != "heading" and not SOURCE_WORDS.isdisjoint(lower) else []
        want_grammar = sources is None or bool(sources)
        want_claims = block.kind != "heading" and not vocab.claim_words.isdisjoint(lower)
        want_over = not vocab.overclaim_words.isdisjoint(lower)
        if not (want_claims or want_over or want_grammar):
            seq += 1 + text.count(". ")  # about its sentences, without splitting a block nothing reads
            continue
        sentences = block.sentences
        if (
            not want_over
            and not want_grammar
            and vocab.classify_cased.isdisjoint(cased_block)
            and vocab.vague_words.isdisjoint(lower)
        ):
            seq += len(sentences)  # no sentence can hold a claim (see _classify), but each one counts
            continue
        # The block's words that could make a sentence of it worth reading. Whole words of a sentence
        # are substrings of its lower-case form when they are ASCII (str.lower() maps one character
        # at a time, capital sigma aside), so a sentence holding none of them needs no tokens.
        needed = (lower & vocab.claim_words if want_claims else set()) | (
            lower & vocab.overclaim_words if want_over else set()
        )
        pre_check = all(word.isascii() for word in needed)
        for k, (start, end) in enumerate(sentences):
            seq += 1
            sentence = text[start:end]
            # a sentence with none of the words reaches only the grammar (which has its own cheap test)
            if pre_check and needed:
                low = sentence.lower()
                worded = any(word in low for word in needed)
            else:
                worded = not pre_check
            if not (worded or want_grammar):
                continue
            found = None
            if worded:
                cased = set(TOKEN_RE.findall(sentence))
                words = set(map(str.lower, cased))
                if want_over and not vocab.overclaim_words.isdisjoint(words):
                    overclaims.extend(
                        Overclaim(block, start + a, start + b, (start, end), spec)
                        for spec, a, b in find_overclaims(sentence, vocab, words)
                    )
                if sentence.rstrip("\"'”’)").endswith("?"):
                    continue
                if want_claims and not vocab.claim_words.isdisjoint(words):
                    found = _classify(sentence, vocab, cased, words)
            elif sentence.rstrip("\"'”’)").endswith("?"):
                continue
            previous = claims[-1] if claims and seq - claims[-1].seq <= _FOLLOW_UP_WINDOW else None
            follows = False
            if found is None and want_grammar:
                if sources is None:
                    grammar = study_claim(sentence)
                else:
                    first, last = bisect_left(sources, start), bisect_left(sources, end)
                    here = [at - start for at in sources[first:last]]
                    grammar = study_claim(sentence, here) if here else None
                if grammar is not None:
                    found, follows = ("vague", grammar.words), grammar.follow_up
                elif previous is not None and reports_back(sentence):
                    found, follows = (previous.kind, previous.source), True
            if found is None or looks_like_title(sentence):
                continue
            kind, source = found
            if kind == "institution" and not names_research(sentence):
                kind = "agency"  # "the CDC reports that 1 in 3 adults…": a statistic to link, not a study claim
            elif kind == "vague" and _A_STUDY_RE.search(source):
                kind = "study"  # "a 2019 study found": one study, which can be cited, unlike "studies show"
            claim = Claim(block, start, end, kind, source, seq=seq)
            cite(claim, article, refs, links, anchors, trusted, vocab)
            if follows and previous is not None:
                # a follow-up continues the claim before it: cited where that claim is cited
                claim.kind, claim.source = previous.kind, previous.source
                claim.citations.extend(previous.citations)
                claims.append(claim)
                continue
            if not claim.citations and k + 1 < len(sentences):
                # A short citation-only sentence right after the claim ("Source: doi:10...").
                n_start, n_end = sentences[k + 1]
                follower = Claim(block, n_start, n_end, kind, source)
                if len(text[n_start:n_end].split()) <= 12:
                    cite(follower, article, refs, links, anchors, trusted, vocab)
                    claim.citations, claim.unresolved = follower.citations, follower.unresolved
            claims.append(claim)
    _cite_nearby(claims)
    return Analysis(claims, overclaims, refs)


def _cite_nearby(claims: list[Claim]) -> None:
    """A news-style lede ("a new study suggests…") is cited by the cited mention of the study that follows it."""
    for i, claim in enumerate(claims):
        if claim.citations or claim.kind not in ("study", "vague") or not _ONE_STUDY_RE.search(claim.source):
            continue
        for other in claims[i + 1 :]:
            if other.seq - claim.seq > 3:
                break
            if other.citations and other.kind in ("journal", "institution"):
                claim.citations.append(
                    Citation("nearby", other.source, None, all(c.scholarly for c in other.citations))
                )
                break


def _classify(sentence: str, vocab: Vocabulary, cased: set[str], words: set[str]) -> tuple[str, str] | None:
    """``(kind, source)`` when the sentence leans on research, else None."""
    if vocab.classify_cased.isdisjoint(cased) and vocab.vague_words.isdisjoint(words):
        return None  # no journal's or institution's word, no research word: no pattern below can match
    # Whole-word sets stand for the case-insensitive patterns only where folded() does (low not None).
    low = folded(sentence)
    journal = _journal_in(sentence, vocab, cased, words, low)
    if journal:
        return "journal", journal
    if not vocab.institution_words.isdisjoint(cased):
        m = (
            vocab.institution_claim.search(sentence)
            if low is None or "according" in low or not vocab.institution_verbs.isdisjoint(words)
            else None
        )
        if m:
            return "institution", clean_name(next(g for g in m.groups() if g))
        # The finding verb first: it is the cheaper test of the two, and both must hold.
        m = (
            vocab.institution_weak.search(sentence)
            if (
                low is None
                or not (vocab.finding_words.isdisjoint(words) or vocab.institution_weak_words.isdisjoint(words))
            )
            and vocab.finding.search(sentence)
            else None
        )
        if m:
            return "institution", clean_name(next(g for g in m.groups() if g))
    for vague in vocab.vague:
        if vague.words.isdisjoint(words) or (vague.also and low is not None and vague.also.isdisjoint(words)):
            continue
        for m in vague.regex.finditer(sentence):
            # "clinically proven", "experts say", "science-backed" name no study to cite; "proven in trials" does
            if _vague_counts(sentence, m) and names_research(sentence[max(0, m.start() - 40) : m.end() + 40]):
                return "vague", " ".join(m.group(0).strip(" ,;:").split())
    return None


def _journal_in(sentence: str, vocab: Vocabulary, cased: set[str], words: set[str], low: str | None) -> str | None:
    if not vocab.strict_words.isdisjoint(cased) and (low is None or any(cue in low for cue in vocab.strict_cues)):
        for m in vocab.journal_strict.finditer(sentence):
            group = "s1" if m.group("s1") else "s2"
            if not _part_of_longer_name(sentence, m.start(group), m.end(group)):
                return m.group(group)
    generic = not GENERIC_JOURNAL_WORDS.isdisjoint(cased)
    known = not vocab.known_words.isdisjoint(cased)
    lower = "journal" in cased
    if (
        not (generic or known or lower)
        or (low is not None and vocab.research_cue_words.isdisjoint(words))
        or not vocab.research_cue.search(sentence)
    ):
        return None
    for flag, regex in ((generic, vocab.journal_generic), (known, vocab.journal_known)):
        if not flag:
            continue
        for m in regex.finditer(sentence):
            name = clean_name(m.group(0))
            if regex is vocab.journal_known and _NAME_BEFORE_RE.search(sentence, max(0, m.start() - 60), m.start()):
                continue  # "American College of Rheumatology"
            if name and name not in GENERIC_JOURNAL_WORDS and not _NOT_JOURNALS.search(m.group(0)):
                return name
    if lower:
        found = vocab.journal_lower.search(sentence)
        if found:
            return clean_name(found.group(1))
    return None


def _part_of_longer_name(sentence: str, start: int, end: int) -> bool:
    """ "American College of Rheumatology", "Healthcare Bluebook": a journal's name inside another name."""
    return bool(
        _NAME_BEFORE_RE.search(sentence, max(0, start - 60), start) or _NAME_AFTER_RE.match(sentence, end, end + 3)
    )


def _vague_counts(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[max(0, m.start() - 60) : m.start()]
    if _NEGATED_BEFORE_RE.search(before):
        return False
    if _ANAPHORA_RE.search(before):
        return False  # "the researchers found": a study introduced earlier, where the citation belongs
    if _FUTURE_STUDY_RE.search(m.group(0)[:40]):
        return False
    if re.match(r"(?i)(?:evidence|data|signs?)\s+of\b", m.group(0)) or re.match(
        r"(?i)\s*(?:evidence|data)\s+of\b", sentence[m.start() : m.start() + 20]
    ):
        return False  # "evidence of infection": a clinical sign, not research
    gap = m.groupdict().get("gap")
    if gap and gap.strip()[:1].isupper():
        return False  # "the Health & Science Department receives": a name, not research
    if gap and _INFINITIVE_GAP_RE.search(gap):
        return False  # "a large trial to prove", "a trial that says"
    # "trials are needed to confirm", "studies have not shown", "researchers hope to find"
    return not (gap and _GAP_STOP_RE.search(gap) and not _GAP_VERB_OK_RE.match(gap))


def uncited_claims(ctx: RuleContext, kind: str) -> Iterator[Claim]:
    """The article's claims of one kind (``journal``, ``institution``, ``study``, ``vague``) that cite nothing."""
    return (claim for claim in analysis_for(ctx).claims if claim.kind == kind and not claim.citations)
