"""URLconf of the throughput ceiling: every path answers the same fixed page.

CEILING_PAGE names a file holding the bytes to serve (the section page the benchmark
measured), so both servers send responses of the same size.
"""

import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import re_path

PAGE = Path(os.environ["CEILING_PAGE"]).read_bytes()


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", page)]
