"""The admins' page of what happened outside the cases: sign-ins, failed and throttled sign-ins,
sign-outs, exports and downloads, account changes and the auto-accept switch; who, when and from which
address."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from review.pages import render
from review.session import WebSession, admin, db, web_session
from store import audit
from store.users import User

router = APIRouter(prefix="/activity")
PAGE_SIZE = 100
KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "sign_ins": ("Sign-ins", {
        "sign_in": "Signed in", "sign_out": "Signed out", "sign_in_failed": "Failed sign-in: wrong name or password",
        "sign_in_code_failed": "Failed sign-in: wrong two-factor code",
        "sign_in_throttled": "Sign-in refused: too many failures, made to wait",
        "sign_in_refused_disabled": "Sign-in refused: account disabled",
        "sign_in_refused_locked": "Sign-in refused: account locked"}),
    "exports": ("Exports and downloads", {
        "export": "Exported the DfE return (CSV)", "quarantine_download": "Downloaded a quarantined message",
        "download_message": "Downloaded a case's message (.eml)", "download": "Downloaded an attachment"}),
    "accounts": ("Account changes", {
        "user_added": "Added an account", "password_changed": "Changed their password",
        "password_reset": "Set a new password for an account", "role_changed": "Changed an account's role",
        "account_disabled": "Disabled an account", "account_enabled": "Enabled an account",
        "account_unlocked": "Forgot an account's failed sign-ins", "account_locked": "Account locked",
        "two_factor_enrolled": "Set up two-factor sign-in", "two_factor_reset": "Reset an account's two-factor sign-in",
        "two_factor_required": "Required two-factor sign-in of everyone",
        "two_factor_optional": "Made two-factor sign-in optional"}),
    "auto_accept": ("Auto-accept", {  # the drift switch (store/drift.py)
        "auto_accept_paused": "Auto-accept paused: the spot checks fell below the target",
        "auto_accept_enabled": "Switched auto-accept back on (approved a calibration)"}),
    "models": ("Models", {  # calibration and classifier versions (store/versions.py)
        "version_added": "Made a new version", "version_approved": "Approved a version",
        "version_rolled_back": "Rolled back a version"}),
}
WORDS = {action: words for _, table in KINDS.values() for action, words in table.items()}
DETAIL_WORDS = {"user": "Account", "role": "Role", "before": "Before", "after": "After", "from": "From", "to": "To",
                "cases": "Cases", "filename": "File", "file": "File", "ledger_entry": "Quarantined message",
                "wait_seconds": "Wait (seconds)", "step": "Step", "two_factor": "With two-factor code",
                "attachment": "Attachment", "wrong": "Spot checks wrong", "reviewed": "Spot checks reviewed",
                "window": "Window", "min_precision": "Target precision", "paused_since": "Paused since",
                "kind": "Kind", "version": "Version", "previous": "Version in force before",
                "now_in_force": "Version now in force", "refused": "Refused"}


def _details(detail: dict) -> list[str]:
    out = []
    for key, value in detail.items():
        if key == "address" or isinstance(value, (dict, list)) or key not in DETAIL_WORDS:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        out.append(f"{DETAIL_WORDS[key]}: {value}")
    return out


@router.get("")
def activity_page(request: Request, kind: str = "", who: str = "", page: int = 1, user: User = Depends(admin),
                  ws: WebSession = Depends(web_session), session: Session = Depends(db)) -> Response:
    kind = kind if kind in KINDS else ""
    actions = tuple(KINDS[kind][1]) if kind else tuple(WORDS)
    who = who.strip()[:100]
    page = max(1, min(page, 10_000))
    total = audit.count_service_events(session, actions, who or None)
    entries = audit.service_events(session, actions, PAGE_SIZE, (page - 1) * PAGE_SIZE, who or None)
    rows = [{"at": e.at, "actor": e.actor, "what": WORDS.get(e.action, e.action), "action": e.action,
             "address": str(e.detail.get("address") or "not recorded"), "details": _details(e.detail),
             "case_id": e.case_id} for e in entries]
    return render(request, "activity.html", {
        "ws": ws, "rows": rows, "kinds": {k: v[0] for k, v in KINDS.items()}, "kind": kind, "who": who,
        "page": page, "pages": max(1, -(-total // PAGE_SIZE)), "total": total})
