"""`Authentication-Results` headers (RFC 8601): what a receiving server found of SPF, DKIM and DMARC. Pure.

    Authentication-Results: mx.hants.gov.uk; spf=pass smtp.mailfrom=example.org;
        dkim=fail (bad signature) header.d=example.org; dmarc=fail (p=reject) header.from=example.org

Every server on the way may add one, and a sender may write any number of its own before sending,
so only the one written by the council's receiving server says anything: `trusted` picks the topmost
header whose authserv-id is that server's (`CME_AUTHSERV_ID`), or the topmost header when no id is
set. Exchange Online writes its header without an authserv-id (`spf=pass (sender IP is ...) ...;
dkim=...; dmarc=...; compauth=...`): such a header has the empty id. Comments are dropped; a value
that cannot be read is skipped, never an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

SUMMARISED = (("spf", "SPF"), ("dkim", "DKIM"), ("dmarc", "DMARC"))
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s=]+=(?:"(?:[^"\\]|\\.)*"|\S*)|\S+')
_METHOD = re.compile(r"(?P<method>[A-Za-z0-9][A-Za-z0-9_-]*)(?:/\d+)?=(?P<result>[A-Za-z0-9_-]+)$")


@dataclass(frozen=True)
class MethodResult:
    """One check: `spf=pass smtp.mailfrom=example.org` is ("spf", "pass", (("smtp.mailfrom", "example.org"),))."""

    method: str  # lower case: spf, dkim, dmarc, arc, compauth ...
    result: str  # lower case: pass, fail, softfail, neutral, none, temperror, permerror, policy ...
    properties: tuple[tuple[str, str], ...] = ()  # (ptype.property, value); "reason" too

    def property(self, name: str) -> str | None:
        return next((v for k, v in self.properties if k == name), None)


@dataclass(frozen=True)
class AuthenticationResults:
    """One `Authentication-Results` header."""

    authserv_id: str  # lower case; "" when the server wrote none (Exchange Online)
    results: tuple[MethodResult, ...]

    def result(self, method: str) -> str | None:
        """The outcome of `method`; for DKIM, "pass" when any signature passed (a message may carry several)."""
        found = [r.result for r in self.results if r.method == method]
        if not found:
            return None
        return "pass" if method == "dkim" and "pass" in found else found[0]

    def summary(self) -> str:
        """"SPF pass, DKIM fail, DMARC fail": what the case page shows."""
        return ", ".join(f"{label} {self.result(method) or 'not reported'}" for method, label in SUMMARISED)


def _without_comments(value: str) -> str:
    """`value` with its (nested) parenthesised comments removed; quoted strings are kept whole."""
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for ch in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if depth == 0:
                out.append(ch)
            continue
        if quoted:
            quoted = ch != '"'
            out.append(ch)
        elif ch == '"' and depth == 0:
            quoted = True
            out.append(ch)
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append(" ")
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _method_result(text: str) -> MethodResult | None:
    tokens = _TOKEN.findall(text.strip())
    if not tokens:
        return None
    head = _METHOD.match(tokens[0])
    if head is None:
        return None
    properties = []
    for token in tokens[1:]:
        name, sep, value = token.partition("=")
        if sep and name:
            properties.append((name.lower(), _unquote(value)))
    return MethodResult(head.group("method").lower(), head.group("result").lower(), tuple(properties))


def parse_authentication_results(value: str | None) -> AuthenticationResults | None:
    """One header's value read, or None when it says nothing readable."""
    if not value:
        return None
    pieces = _without_comments(value).split(";")
    head = pieces[0].split()
    if head and "=" in head[0]:
        authserv_id = ""  # Exchange Online: the checks start at once
    else:
        authserv_id = head[0].lower() if head else ""
        pieces = pieces[1:]
    results = tuple(r for r in (_method_result(p) for p in pieces) if r is not None)
    if not authserv_id and not results:
        return None
    return AuthenticationResults(authserv_id, results)


def authentication_results(headers: Iterable[tuple[str, str]]) -> tuple[AuthenticationResults, ...]:
    """Every readable `Authentication-Results` header of a message, topmost (the last one added) first."""
    found = (parse_authentication_results(v) for k, v in headers if k.lower() == "authentication-results")
    return tuple(r for r in found if r is not None)


def trusted(results: Iterable[AuthenticationResults], authserv_id: str = "") -> AuthenticationResults | None:
    """The header the council's receiving server wrote: the topmost with its authserv-id, or with no id set the
    topmost header; None when there is none (the checks are then unknown, never taken as passed)."""
    wanted = authserv_id.strip().lower()
    for header in results:
        if not wanted or header.authserv_id == wanted:
            return header
    return None
