"""How inquiries plug into Slack: the sales card and its buttons, the marketing summary, the nudge."""

from inquiries import signals
from inquiries.models import Inquiry
from integrations.slack.core.modules import Job, Notification, SlackModule, View
from integrations.slack.inquiries import actions, blocks, burst, receivers
from integrations.slack.inquiries.jobs import NUDGE, inquiries_unanswered_nudge


def _notification(signal, kind, handler, when=None) -> Notification:
    return Notification(signal, kind, handler, sender=Inquiry, record_arg="inquiry", when=when)


# One small notify row inside the inquiry's transaction each; routing and rendering run in the
# worker after commit (quarantined inquiries and internal notes send nothing).
_NOTIFICATIONS = (
    _notification(signals.inquiry_received, "inquiries.received", receivers.on_received),
    _notification(signals.inquiry_released, "inquiries.released", receivers.on_released),
    _notification(signals.inquiry_assigned, "inquiries.assigned", receivers.on_assigned),
    _notification(signals.inquiry_status_changed, "inquiries.status_changed", receivers.on_status_changed),
    _notification(signals.inquiry_updated, "inquiries.updated", receivers.on_updated, when=receivers.update_may_show),
    _notification(signals.inquiry_shared, "inquiries.shared", receivers.on_shared),
    _notification(signals.inquiry_converted, "inquiries.converted", receivers.on_converted),
    _notification(signals.inquiry_answered, "inquiries.answered", receivers.on_answered),
)

slack_module = SlackModule(
    label="inquiries",
    notifications=_NOTIFICATIONS,
    actions={
        blocks.ASSIGN_ME: actions.assign_me,
        blocks.MARK_ANSWERED: actions.mark_answered,
        blocks.CONVERT: actions.convert,
        blocks.SHARE: actions.share,
        blocks.MARK_SPAM: actions.mark_spam,
    },
    ignored_actions=(blocks.OPEN_IN_PORTAL,),
    views=(View(blocks.CONVERT_MODAL, actions.convert_submitted),),
    operations=burst.OPERATIONS,
    jobs=(Job(inquiries_unanswered_nudge.name, schedule=NUDGE.beat_schedule),),
)
