"""Issue 10: /admin/ is for administrators (superusers) only."""
import pytest

from tests.factories import IntermediaryStaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PATHS = ["/admin/", "/admin/accounts/user/", "/admin/accounts/intermediary/", "/admin/credentials/credential/"]


@pytest.mark.parametrize("path", PATHS)
def test_staff_of_an_intermediary_do_not_get_into_the_admin(client, path):
    staff = IntermediaryStaffFactory(is_manager=True).user
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("path", PATHS)
def test_a_staff_flag_without_being_an_administrator_is_not_enough(client, path):
    """Even a user given Django's staff flag (and the intermediary staff role) stays out."""
    user = UserFactory(is_staff=True)
    IntermediaryStaffFactory(user=user)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("path", PATHS)
def test_an_administrator_gets_in(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200
