from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

slack_channel_id = RegexValidator(r"^[CGD][A-Z0-9]{2,}$", _("A Slack channel id looks like C0123ABCD."))
slack_user_id = RegexValidator(r"^[UW][A-Z0-9]{2,}$", _("A Slack user id looks like U0123ABCD."))
korean_phone = RegexValidator(r"^0\d{1,2}-?\d{3,4}-?\d{4}$", _("Enter a phone number like 010-1234-5678."))


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    slack_channel_id = models.CharField(
        _("Slack channel id"),
        max_length=32,
        blank=True,
        validators=[slack_channel_id],
        help_text=_("Where this department's notifications go, e.g. C0123ABCD."),
    )
    slack_channel_name = models.CharField(_("Slack channel name"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Admin")


# Roles with agent-level rights (erp.people.roles.is_agent); managers and admins are agents too.
AGENT_ROLES = (Role.AGENT, Role.MANAGER, Role.ADMIN)


class Employee(models.Model):
    """The person behind a login: department, role and Slack identity."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="employee"
    )
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=100)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    slack_user_id = models.CharField(
        _("Slack user id"), max_length=32, unique=True, null=True, blank=True, validators=[slack_user_id]
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True, validators=[korean_phone])
    # The language Slack answers this person in; the portal's language switch keeps it current.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ko")

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["department", "role"])]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # Blank optional identifiers are stored as NULL so the unique constraints allow many.
        self.slack_user_id = self.slack_user_id or None
        self.employee_no = self.employee_no or None
        super().save(*args, **kwargs)

    @property
    def is_agent(self) -> bool:
        return self.role in AGENT_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.user.is_superuser

    @property
    def slack_linked(self) -> bool:
        return bool(self.slack_user_id)
