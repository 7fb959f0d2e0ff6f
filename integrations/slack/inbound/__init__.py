"""Requests from Slack: slash commands, interactivity and the Events API (DESIGN.md §3.9).

How a module plugs in: its SlackModule (integrations/slack/<label>/module.py, see
integrations.slack.core.modules) declares commands, actions, views, shortcuts and events;
install() routes them through dispatch.py's exact-match tables (signatures there)::

    def attendance_command(cmd, who):          # cmd: payloads.SlashCommand, who: identity.SlackUser
        punch_in(employee=who.employee, by=who.actor())   # Actor(source="slack", Slack context)
        return ephemeral(_("Checked in."))                  # runs in who's language

    slack_module = SlackModule(
        label="attendance",
        commands=(Command("SLACK_ATTENDANCE_COMMAND", attendance_command, description="..."),),
        actions={"attendance.punch_in": on_button},        # (interaction, who) -> None
        views=(View("attendance.correction", on_submit),),  # (interaction, who) -> dict | None
    )

Handlers may raise django PermissionDenied / ValidationError / erp.core.errors.DomainError:
the views turn them into an ephemeral sentence (or modal field errors). Modals open with
integrations.slack.inbound.modals.open_modal (views.open, 2 s timeout); replies to
a button's message go through deferred.respond_later(response_url, body).
"""
