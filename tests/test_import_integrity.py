"""Two imports at the same time never double a redirect (issue: two ``redirects_import``
runs with overlapping files and no site both created every row, and the doubled paths
then answered 404). Real processes against PostgreSQL or MariaDB; each waits for the other's
write lock and plans again against what the other wrote."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.db.models import Count
from django.test import Client
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from tests.utils.processes import shared_database, start_django

pytestmark = [pytest.mark.slow, shared_database, pytest.mark.django_db(transaction=True)]


def write_csv(path: Path, first: int, last: int) -> Path:
    lines = ["from,to"] + [f"/ov{n},/new/{n}/" for n in range(first, last)]
    path.write_text("\n".join(lines) + "\n")
    return path


def start_import(csv: Path, *extra: str) -> subprocess.Popen[str]:
    return start_django("redirects_import", str(csv), *extra)


def run_together(*commands: tuple[Path, tuple[str, ...]]) -> list[tuple[int, str, str]]:
    processes = [start_import(csv, *extra) for csv, extra in commands]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out, err))
    return results


@pytest.mark.parametrize("site", [None, "localhost"], ids=["all sites", "one site"])
def test_two_imports_at_once_write_each_path_once(tmp_path: Path, site: str | None) -> None:
    fresh_site_tree("localhost")  # committed: the two processes see it
    file_a = write_csv(tmp_path / "a.csv", 0, 2000)
    file_b = write_csv(tmp_path / "b.csv", 1000, 3000)
    extra = ("--site", site) if site else ()
    results = run_together((file_a, extra), (file_b, extra))

    for returncode, out, err in results:
        assert returncode == 0, (out, err)
        assert "Traceback" not in err, err
    doubled = (
        Redirect.objects.values("site_id", "old_path").annotate(rows=Count("pk")).filter(rows__gt=1)
    )
    assert list(doubled) == []
    assert Redirect.objects.filter(old_path__startswith="/ov").count() == 3000
    # The one that went second found the shared thousand already there.
    created = sorted(int(out.split(" created")[0].split()[-1]) for _code, out, _err in results)
    assert created == [1000, 2000], [out for _code, out, _err in results]
    # And every path answers (a doubled all-sites path answered 404).
    response = Client().get("/ov1500", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"].endswith("/new/1500/")
