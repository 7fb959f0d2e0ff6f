"""The Slack module contract: how a domain plugs into Slack without editing a central list.

A domain app ``<label>`` (tickets, attendance, meetings …) gets a Slack package
``integrations/slack/<label>/`` whose ``module.py`` defines one object::

    slack_module = SlackModule(
        label="attendance",
        notifications=(Notification(signals.checked_in, "attendance.checked_in", on_checked_in,
                                    sender=WorkDay, record_arg="employee"), ...),
        commands=(Command("SLACK_ATTENDANCE_COMMAND", handle, description=..., usage_hint=...),),
        actions={CHECK_IN: on_check_in, CHECK_OUT: on_check_out},
        views=(View(CLIENT_PLACE, on_client_place),),
        home_sections=(HomeSection("attendance", order=20, build=attendance_section),),
        jobs=(Job("integrations.slack.attendance_morning_post", schedule=...),),
    )

:func:`install` (called once from ``IntegrationsConfig.ready()``) walks the installed app
configs, imports ``integrations.slack.<label>.module`` where it exists, and wires everything
it declares: notifications (rendered after commit, core/notify.py) and domain-signal
receivers, the inbound dispatch tables, App Home sections, outbox
delivery operations, Celery beat entries. The manifest (``slack_manifest``) reads the same
declarations for its commands, shortcuts, bot events and scopes. The core's own declaration
(``integrations.slack.core.module``) comes first.

Domain apps never import this package: the Slack side finds them, not the other way round.
"""

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings

from integrations.slack.core import delivery, notify
from integrations.slack.core.home import HomeSection, register_home_section
from integrations.slack.inbound import dispatch

CORE_MODULE = "integrations.slack.core.module"


@dataclass(frozen=True)
class Receiver:
    """``handler(sender, **kwargs)`` connected to a domain signal (wrap it with kit.receiver)."""

    signal: object
    handler: Callable
    sender: type | None = None


# Rendered after commit from current data (see core/notify.py): a module's channel messages
# and DMs about its records. Receiver (below) is for the rare receiver that must write inside
# the domain transaction.
Notification = notify.Notification


@dataclass(frozen=True)
class Command:
    """A slash command; its name lives in a setting so each company can rename it."""

    setting: str
    handler: Callable
    description: str  # for the app manifest (Slack shows it in the command picker)
    usage_hint: str = ""

    @property
    def name(self) -> str:
        return getattr(settings, self.setting)


@dataclass(frozen=True)
class View:
    callback_id: str
    handler: Callable
    on_close: Callable | None = None


@dataclass(frozen=True)
class Shortcut:
    callback_id: str
    handler: Callable
    name: str  # manifest: what the shortcut menu shows
    description: str
    kind: str = "message"  # "message" (on a message's ⋯ menu) or "global" (the ⚡ menu)


@dataclass(frozen=True)
class Event:
    """An Events API event type; ``subscriptions`` are the manifest's bot events it needs."""

    type: str
    handler: Callable
    accepts: Callable | None = None
    subscriptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    name: str
    why: str  # the calls that need it, so a reviewer can tell an unused scope


@dataclass(frozen=True)
class Job:
    """A Celery beat entry; ``schedule`` is called at start-up so it can read settings."""

    name: str
    schedule: Callable
    task: str = ""  # defaults to the entry's name

    def entry(self) -> dict:
        return {"task": self.task or self.name, "schedule": self.schedule()}


@dataclass(frozen=True)
class DeliveryOperation:
    """An outbox operation beyond post/update/reply (e.g. opening an incident channel)."""

    name: str
    handler: Callable  # (client, row) -> delivery.Sent; may raise delivery.Defer / Skip
    label: str = ""
    paced: bool = False  # it posts or updates a channel message: it takes the channel's slots


@dataclass(frozen=True)
class SlackModule:
    label: str
    notifications: tuple[Notification, ...] = ()
    receivers: tuple[Receiver, ...] = ()
    commands: tuple[Command, ...] = ()
    actions: Mapping[str, Callable] = field(default_factory=dict)
    # Buttons that only open a URL still send block_actions; they need no handler.
    ignored_actions: tuple[str, ...] = ()
    views: tuple[View, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    events: tuple[Event, ...] = ()
    home_sections: tuple[HomeSection, ...] = ()
    operations: tuple[DeliveryOperation, ...] = ()
    jobs: tuple[Job, ...] = ()
    scopes: tuple[Scope, ...] = ()


_modules: list[SlackModule] | None = None


def _load(module_path: str) -> SlackModule | None:
    if not _find_spec(module_path):
        return None
    found = getattr(importlib.import_module(module_path), "slack_module", None)
    if not isinstance(found, SlackModule):
        raise TypeError(f"{module_path} must define slack_module = SlackModule(...)")
    return found


def _find_spec(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except ModuleNotFoundError:
        return False


def discover() -> list[SlackModule]:
    """The core's module, then one per installed app that has a Slack package (cached)."""
    global _modules
    if _modules is None:
        found = [_load(CORE_MODULE)]
        for app_config in apps.get_app_configs():
            package = f"integrations.slack.{app_config.label}"
            if _find_spec(package):
                found.append(_load(f"{package}.module"))
        _modules = [module for module in found if module is not None]
    return _modules


_installed = False


def install() -> None:
    """Wire every module's declarations (idempotent: the second call does nothing)."""
    global _installed
    if _installed:
        return
    for module in discover():
        _install_one(module)
    _installed = True


def _install_one(module: SlackModule) -> None:
    for notification in module.notifications:
        uid = f"integrations.slack.{module.label}.notify.{notification.kind}"
        notify.register(notification, dispatch_uid=uid)
    for receiver in module.receivers:
        uid = f"integrations.slack.{module.label}.{receiver.handler.__name__}"
        receiver.signal.connect(receiver.handler, sender=receiver.sender, dispatch_uid=uid, weak=False)
    for command in module.commands:
        dispatch.register_command(command.name, command.handler)
    for action_id, handler in module.actions.items():
        dispatch.register_action(action_id, handler)
    dispatch.IGNORED_ACTIONS.update(module.ignored_actions)
    for view in module.views:
        dispatch.register_view(view.callback_id, view.handler, on_close=view.on_close)
    for shortcut in module.shortcuts:
        dispatch.register_shortcut(shortcut.callback_id, shortcut.handler)
    for event in module.events:
        dispatch.register_event(event.type, event.handler, accepts=event.accepts)
    for home_section in module.home_sections:
        register_home_section(home_section)
    for operation in module.operations:
        delivery.register_operation(operation.name, operation.handler, label=operation.label, paced=operation.paced)
    _install_jobs(module.jobs)


def _install_jobs(jobs: tuple[Job, ...]) -> None:
    """Beat entries go where django-celery-beat's DatabaseScheduler reads them at start."""
    if not jobs:
        return
    from erp.celery import app

    entries = {job.name: job.entry() for job in jobs}
    settings.CELERY_BEAT_SCHEDULE.update(entries)
    schedule = app.conf.beat_schedule
    if schedule is not settings.CELERY_BEAT_SCHEDULE:
        schedule.update(entries)


# --- what the manifest reads --------------------------------------------------------------


def all_commands() -> list[Command]:
    return [command for module in discover() for command in module.commands]


def all_shortcuts() -> list[Shortcut]:
    return [shortcut for module in discover() for shortcut in module.shortcuts]


def bot_events() -> list[str]:
    names = {name for module in discover() for event in module.events for name in event.subscriptions}
    return sorted(names)


def bot_scopes() -> list[Scope]:
    """Every scope any module needs, once, sorted by name."""
    by_name: dict[str, Scope] = {}
    for module in discover():
        for scope in module.scopes:
            by_name.setdefault(scope.name, scope)
    return [by_name[name] for name in sorted(by_name)]
