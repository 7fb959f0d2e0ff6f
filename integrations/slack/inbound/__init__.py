"""Requests from Slack: slash commands, interactivity and the Events API (DESIGN.md §3.9).

How a module plugs in (from its AppConfig.ready(); see routing.py for the signatures)::

    from integrations.slack.inbound.routing import register_action, register_command, register_view
    from integrations.slack.inbound.replies import ephemeral

    def attendance_command(cmd, who):          # cmd: payloads.SlashCommand, who: identity.SlackUser
        punch_in(employee=who.employee, by=who.actor())   # Actor(source="slack", Slack context)
        return ephemeral(_("Checked in."))                  # runs in who's language

    register_command(settings.SLACK_ATTENDANCE_COMMAND, attendance_command)
    register_action("attendance.punch_in", on_button)      # (interaction, who) -> None
    register_view("attendance.correction", on_submit)      # (interaction, who) -> dict | None

Handlers may raise django PermissionDenied / ValidationError / erp.core.errors.DomainError:
the views turn them into an ephemeral sentence (or modal field errors). Modals open with
integrations.slack.inbound.modals.open_modal (views.open, 2 s timeout); replies to
a button's message go through deferred.respond_later(response_url, body). App Home
sections: integrations.slack.handlers.home.register_home_section(HomeSection(...)).
"""
