"""Downloading a report's PDF as a browser does: the first request queues its rendering
and answers "being prepared"; the page reloads and gets the stored file."""

from django.test import Client
from django.urls import reverse

from tests.committing import committed


def download_pdf(client: Client, assessment_pk: int):
    """The response that carries the PDF (rendered by the in-process task backend when the
    first request's transaction "commits")."""
    url = reverse("report_pdf", args=[assessment_pk])
    with committed():
        first = client.get(url)
    if first.get("Content-Type") == "application/pdf":
        return first  # stored before
    assert 'data-testid="pdf-pending"' in first.content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf", response.content[:500]
    return response
