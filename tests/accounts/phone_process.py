"""Run by tests/accounts/test_phone_processes.py in a process of its own: ask for codes (or guess one)
through the Django test client, with the database and cache the parent configured. Prints a JSON list of
HTTP statuses."""
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()
mode, phone, count, address = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
results = []
for _ in range(count):
    client = Client(REMOTE_ADDR=address)
    if mode == "ask":
        response = client.post("/accounts/phone/", {"phone": phone})
        results.append(response.status_code)   # 302: a code was sent; 200: refused, the form says why
    else:  # guess: open the code page for this number with a session, then try a wrong code
        session = client.session
        session["essor_phone_pending"] = {"phone": phone, "purpose": "login"}
        session.save()
        client.cookies["sessionid"] = session.session_key
        response = client.post("/accounts/phone/code/", {"code": sys.argv[5]})
        results.append(response.status_code)
print(json.dumps(results))
