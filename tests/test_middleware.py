def test_it_refuses_nul_characters_in_parameters(client, db):
    assert client.get("/accounts/login/", {"next": "a\x00b"}).status_code == 400
    assert client.post("/accounts/login/", {"username": "x\x00"}).status_code == 400


def test_it_refuses_nul_characters_in_the_path(client, db):
    assert client.get("/review/%00/").status_code in (400, 404)
