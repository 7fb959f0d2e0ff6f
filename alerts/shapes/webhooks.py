"""Webhook bodies → Incoming (PLATFORMS.md §3). Each parser raises ShapeError for JSON that is
not its shape; the view then stores the body as an "unparsed" item instead of losing it.

Grouping keys: Alertmanager and Grafana ``groupKey`` (one Slack message per notification
group, as the sender groups them); Google Cloud ``incident_id`` (the same for open and
close). Item ids make a re-sent delivery a no-op: an alert's fingerprint with its status and
start (and end once resolved), an incident's id with its state.
"""

import json

from django.utils.translation import gettext as _

from ..models import Shape
from ..services.intake import FIRING, RESOLVED, Incoming
from .common import ShapeError, as_dict, digest, moment, severity_of, text

GENERIC_STATUSES = {"firing": FIRING, "resolved": RESOLVED, "ok": RESOLVED, "open": FIRING, "closed": RESOLVED}


def _raw(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)[:65536]


def alertmanager(payload) -> list[Incoming]:
    """Alertmanager v4 (and Grafana, which posts the same shape plus its own fields)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise ShapeError(_('Expected an Alertmanager notification: a JSON object with an "alerts" list.'))
    group_status = RESOLVED if str(payload.get("status", "")).lower() == "resolved" else FIRING
    common_labels = as_dict(payload.get("commonLabels"))
    group_key = text(payload.get("groupKey"), 255) or digest(payload.get("receiver"), payload.get("groupLabels"))
    incoming = []
    for alert in payload["alerts"]:
        if not isinstance(alert, dict):
            raise ShapeError(_("Each alert must be a JSON object."))
        labels, annotations = as_dict(alert.get("labels")), as_dict(alert.get("annotations"))
        # Older senders leave the per-alert status out: the notification's status holds then.
        status = RESOLVED if str(alert.get("status") or payload.get("status", "")).lower() == "resolved" else FIRING
        fingerprint = text(alert.get("fingerprint"), 64) or digest(labels)
        starts, ends = alert.get("startsAt"), alert.get("endsAt")
        title = (
            text(annotations.get("summary"))
            or text(payload.get("title"))
            or " ".join(str(v) for v in as_dict(payload.get("groupLabels")).values())
            or text(labels.get("alertname"))
            or _("Alert")
        )
        incoming.append(
            Incoming(
                external_id=f"{fingerprint}:{status}:{starts}:{ends if status == RESOLVED else ''}",
                key=group_key,
                title=title,
                status=status,
                group_status=group_status,
                severity=severity_of(labels.get("severity"), common_labels.get("severity")),
                body=text(annotations.get("description")) or text(payload.get("message")),
                url=text(alert.get("generatorURL") or payload.get("externalURL"), 500),
                occurred_at=moment(ends if status == RESOLVED else starts),
                raw=_raw(alert),
                facts={"labels": labels, "fingerprint": fingerprint, "receiver": text(payload.get("receiver"), 200)},
            )
        )
    if not incoming:
        raise ShapeError(_("The notification holds no alerts."))
    return incoming


def google_cloud(payload) -> list[Incoming]:
    """Google Cloud Monitoring webhook 1.2: ``{"incident": {...}, "version": "1.2"}``."""
    incident = payload.get("incident") if isinstance(payload, dict) else None
    if not isinstance(incident, dict) or not incident.get("incident_id"):
        raise ShapeError(_('Expected a Google Cloud incident: {"incident": {"incident_id": …, "state": …}}.'))
    state = str(incident.get("state", "")).lower()
    if state not in ("open", "closed"):
        raise ShapeError(_('The incident state must be "open" or "closed".'))
    status = RESOLVED if state == "closed" else FIRING
    incident_id = text(incident["incident_id"], 200)
    labels = as_dict(incident.get("policy_user_labels"))
    title = text(incident.get("summary")) or text(incident.get("policy_name")) or incident_id
    return [
        Incoming(
            external_id=f"{incident_id}:{state}",
            key=f"gcp:{incident_id}",
            title=title,
            status=status,
            severity=severity_of(labels.get("severity"), incident.get("severity")),
            body=text(as_dict(incident.get("documentation")).get("content")) or title,
            url=text(incident.get("url"), 500),
            occurred_at=moment(incident.get("ended_at") if status == RESOLVED else incident.get("started_at")),
            raw=_raw(payload),
            facts={
                "policy": text(incident.get("policy_name"), 200),
                "condition": text(incident.get("condition_name"), 200),
                "resource": text(incident.get("resource_name"), 200),
                "project": text(incident.get("scoping_project_id"), 200),
            },
        )
    ]


def generic(payload) -> list[Incoming]:
    """The documented generic shape (alerts/api.py): one alert object or ``{"alerts": [...]}``."""
    alerts = payload.get("alerts") if isinstance(payload, dict) and "alerts" in payload else [payload]
    if not isinstance(alerts, list) or not alerts:
        raise ShapeError(_('Send an alert object or {"alerts": [...]}.'))
    incoming = []
    for alert in alerts:
        if not isinstance(alert, dict) or not text(alert.get("title")):
            raise ShapeError(_('Each alert needs a "title".'))
        status = GENERIC_STATUSES.get(str(alert.get("status", "firing")).lower())
        if status is None:
            raise ShapeError(_('"status" must be "firing" or "resolved".'))
        key = text(alert.get("key"), 255) or text(alert.get("title"), 255)
        external = text(alert.get("id"), 200) or digest(key, status, alert.get("occurred_at"))
        incoming.append(
            Incoming(
                external_id=f"{external}:{status}",
                key=key,
                title=text(alert["title"], 500),
                status=status,
                severity=severity_of(alert.get("severity")),
                body=text(alert.get("description"), 10000),
                url=text(alert.get("url"), 500),
                occurred_at=moment(alert.get("occurred_at")),
                raw=_raw(alert),
                facts={"labels": as_dict(alert.get("labels"))},
            )
        )
    return incoming


PARSERS = {
    Shape.ALERTMANAGER: alertmanager,
    Shape.GRAFANA: alertmanager,
    Shape.GOOGLE_CLOUD: google_cloud,
    Shape.GENERIC: generic,
}


def parse(shape: str, payload) -> list[Incoming]:
    return PARSERS[shape](payload)
