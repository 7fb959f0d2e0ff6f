"""Webhook bodies as the senders post them (PLATFORMS.md §3)."""

import copy


def alertmanager(status="firing", *, group_key='{}:{alertname="DiskFull"}', alerts=None, severity="critical"):
    alerts = alerts or [
        {
            "status": status,
            "labels": {"alertname": "DiskFull", "instance": "web1:9100", "severity": severity},
            "annotations": {"summary": "web1 디스크 사용률 95%", "description": "/var 가 95%를 넘었습니다."},
            "startsAt": "2026-12-02T00:55:00Z",
            "endsAt": "2026-12-02T01:20:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=disk",
            "fingerprint": "c3f4a1b2d5e6f708",
        }
    ]
    return {
        "version": "4",
        "groupKey": group_key,
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "haru",
        "groupLabels": {"alertname": "DiskFull"},
        "commonLabels": {"alertname": "DiskFull", "severity": severity},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts,
    }


def grafana(status="firing"):
    body = alertmanager(status, group_key='{}/{}:{alertname="HighLatency"}')
    body.update(
        {"orgId": 1, "title": "[FIRING:1] HighLatency", "state": "alerting", "message": "p99 > 1s", "version": "1"}
    )
    for alert in body["alerts"]:
        alert.update({"values": {"B": 1.3}, "silenceURL": "http://grafana/silence", "dashboardURL": "", "panelURL": ""})
        alert["fingerprint"] = "9a8b7c6d5e4f3a2b"
    return body


def google_cloud(state="open"):
    return {
        "incident": {
            "incident_id": "0.opqiw61fsv7p",
            "scoping_project_id": "haru-prod",
            "url": "https://console.cloud.google.com/monitoring/alerting/incidents/0.opqiw61fsv7p?project=haru-prod",
            "started_at": 1764637200,
            "ended_at": 1764638100 if state == "closed" else None,
            "state": state,
            "summary": "CPU utilization for haru-web-1 is above the threshold of 0.9 with a value of 0.97.",
            "policy_name": "VM CPU 90%",
            "condition_name": "VM Instance - CPU utilization",
            "resource_name": "haru-web-1",
            "policy_user_labels": {"severity": "error"},
            "documentation": {"content": "CPU 사용률이 높습니다.", "mime_type": "text/markdown"},
        },
        "version": "1.2",
    }


def generic(status="firing", **extra):
    return {
        "alerts": [
            {
                "id": "backup-nightly-20261202",
                "key": "backup:nightly",
                "title": "야간 백업 실패",
                "status": status,
                "severity": "error",
                "description": "pg_dump exited 1",
                **extra,
            }
        ]
    }


def copy_of(body):
    return copy.deepcopy(body)
