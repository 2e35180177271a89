import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reviews.roles import CONTRIBUTORS
from tests.factories import UserFactory


@pytest.fixture
def contributor(db):
    user = UserFactory(username="contributor", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    return user


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


def png_upload(name="slide.png", color=(200, 30, 30)):
    """A real PNG, small enough to keep the tests fast."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
