"""Plain helpers shared by the test files (fixtures live in conftest.py)."""

PASSWORD = "correct-horse-battery-9"


def role(slug):
    """A role of the catalogue by its slug."""
    from roadmap.models import Role

    return Role.objects.get(slug=slug)


def make_learner(username, current="junior-ai-engineer", target="senior-ai-engineer"):
    """A user with a current and a target role, for tests that need a path."""
    from accounts.models import User

    return User.objects.create_user(
        username,
        f"{username}@example.com",
        PASSWORD,
        current_role=role(current) if current else None,
        target_role=role(target) if target else None,
    )


def browser_sign_in(page, base, username, password=PASSWORD, url="/accounts/login/"):
    """Sign in through the real form (the site's or the admin's)."""
    page.goto(base + url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()


def statuses(user):
    from roadmap.models import SkillProgress

    return dict(SkillProgress.objects.filter(user=user).values_list("skill__slug", "status"))


def phone_problems(page, url, width=375):
    """What is wrong with the page open in `page` on a phone: wider than the screen, or a
    control (button, field, summary) under 44 px tall. [] when nothing."""
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{url} is {scroll} px wide")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
             'button, input:not([type=hidden]), select, textarea, summary')]
           .filter(el => el.offsetParent !== null)
           .filter(el => el.getBoundingClientRect().height < 44)
           .map(el => el.outerHTML.slice(0, 80))"""
    )
    if small:
        problems.append(f"{url}: controls under 44 px: {small}")
    return problems
