"""Demo departments and employees (with Slack ids) plus the demo admin login."""

from django.contrib.auth import get_user_model

from .models import Department, Employee, Role

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "haru-demo-2026"
DEMO_PASSWORD = "haru-demo-2026"

DEPARTMENTS = [
    # name, code, Slack channel id, channel name
    ("개발팀", "dev", "C0DEV00001", "dev-team"),
    ("인프라팀", "infra", "C0INF00001", "infra-team"),
    ("영업팀", "sales", "C0SAL00001", "sales-team"),
    ("마케팅팀", "marketing", "C0MKT00001", "marketing-team"),
    ("경영지원팀", "ops", "C0OPS00001", "ops-team"),
]

# username, name, department code, role, title, Slack id, phone
EMPLOYEES = [
    ("minjun.kim", "김민준", "infra", Role.MANAGER, "인프라팀장", "U0DEMO0001", "010-2345-1001"),
    ("seoyeon.lee", "이서연", "infra", Role.AGENT, "시스템 엔지니어", "U0DEMO0002", "010-2345-1002"),
    ("dohyun.park", "박도현", "infra", Role.AGENT, "네트워크 엔지니어", "U0DEMO0003", "010-2345-1003"),
    ("jiwoo.choi", "최지우", "infra", Role.AGENT, "헬프데스크", "U0DEMO0004", "010-2345-1004"),
    ("hayoon.jung", "정하윤", "dev", Role.MANAGER, "개발팀장", "U0DEMO0005", "010-2345-1005"),
    ("jihoon.kang", "강지훈", "dev", Role.AGENT, "백엔드 개발자", "U0DEMO0006", "010-2345-1006"),
    ("sua.cho", "조수아", "dev", Role.AGENT, "프론트엔드 개발자", "U0DEMO0007", "010-2345-1007"),
    ("yejun.yoon", "윤예준", "dev", Role.STAFF, "QA 엔지니어", "U0DEMO0008", "010-2345-1008"),
    ("eunji.jang", "장은지", "sales", Role.MANAGER, "영업팀장", "U0DEMO0009", "010-2345-1009"),
    ("hyunwoo.lim", "임현우", "sales", Role.STAFF, "영업 매니저", "U0DEMO0010", "010-2345-1010"),
    ("soyeon.han", "한소연", "sales", Role.STAFF, "영업 매니저", "U0DEMO0011", "010-2345-1011"),
    ("taeyang.oh", "오태양", "marketing", Role.MANAGER, "마케팅팀장", "U0DEMO0012", "010-2345-1012"),
    ("dain.seo", "서다인", "marketing", Role.STAFF, "콘텐츠 마케터", "U0DEMO0013", "010-2345-1013"),
    ("junseo.shin", "신준서", "marketing", Role.STAFF, "퍼포먼스 마케터", "U0DEMO0014", "010-2345-1014"),
    ("yuna.kwon", "권유나", "ops", Role.MANAGER, "경영지원팀장", "U0DEMO0015", "010-2345-1015"),
    ("siwoo.hwang", "황시우", "ops", Role.STAFF, "인사 담당", "U0DEMO0016", "010-2345-1016"),
    ("chaewon.ahn", "안채원", "ops", Role.STAFF, "재무 담당", "U0DEMO0017", "010-2345-1017"),
    ("admin", "관리자", "infra", Role.ADMIN, "ERP 관리자", "U0DEMO0000", "010-2345-1000"),
]


def _user(username, full_name, *, is_admin):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@haru.example",
            "first_name": full_name[1:],
            "last_name": full_name[:1],
            "is_staff": is_admin,
            "is_superuser": is_admin,
        },
    )
    if created:
        user.set_password(DEMO_ADMIN_PASSWORD if is_admin else DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed(stdout, *, now=None):
    """Departments and people do not age: ``now`` (the seed_demo contract) is not needed."""
    departments = {}
    for name, code, channel_id, channel_name in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "slack_channel_id": channel_id, "slack_channel_name": channel_name}
        )
    managers = {}
    for username, name, dept, role, title, slack_id, phone in EMPLOYEES:
        user = _user(username, name, is_admin=username == DEMO_ADMIN_USERNAME)
        employee, _ = Employee.objects.get_or_create(
            user=user,
            defaults={
                "display_name": name,
                "employee_no": f"H{2020000 + int(slack_id[-4:])}",
                "department": departments[dept],
                "role": role,
                "title": title,
                "slack_user_id": slack_id,
                "phone": phone,
            },
        )
        if role == Role.MANAGER:
            managers[dept] = employee
    for employee in Employee.objects.filter(manager=None).exclude(role__in=[Role.MANAGER, Role.ADMIN]):
        manager = managers.get(employee.department.code) if employee.department else None
        if manager:
            employee.manager = manager
            employee.save(update_fields=["manager"])
    stdout.write(f"people: {Department.objects.count()} departments, {Employee.objects.count()} employees")
