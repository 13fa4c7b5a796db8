"""Uploads had no cap on how many run at once: 8 of them (= the server's threads) stalled every page
and /sparql for seconds. Past ``UPLOADS_AT_ONCE`` an upload is now answered 503 with Retry-After at
once, and the pages keep their threads."""

import threading
import time

from support import post_upload as post
from upload_support import SLOW_TURTLE, good_plan

from graphsvc.engine import graph
from graphsvc.web.app import create_app


def test_an_upload_past_the_cap_gets_503_with_retry_after_then_goes_through():
    app = create_app(
        {"GRAPH": graph.default(), "AUDIT": False, "UPLOADS_AT_ONCE": 1, "SERVER_THREADS": 4, "FILE_TIME_LIMIT": 3}
    )
    post(app.test_client(), [("warm.nt", b"<urn:a> <urn:b> <urn:c> .\n")])  # the fork server is up
    slow = {}
    holder = threading.Thread(target=lambda: slow.update(answer=post(app.test_client(), [("slow.ttl", SLOW_TURTLE)])))
    holder.start()
    try:
        time.sleep(1.0)  # the slow upload is in its child (it runs for its 3 s)
        began = time.monotonic()
        refused = post(app.test_client(), [good_plan()])
        assert time.monotonic() - began < 1.0  # refused at once, not queued
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "2"
        assert "try again in 2 seconds" in refused.get_data(as_text=True)
        script = post(app.test_client(), [good_plan()], path="/import.ttl")
        assert script.status_code == 503 and script.headers["Retry-After"] == "2"
        assert app.test_client().get("/health").status_code == 200
    finally:
        holder.join(30)
    assert slow["answer"].status_code == 422  # stopped at its limit
    assert post(app.test_client(), [good_plan()]).status_code == 200  # the slot is free again


def test_a_refused_client_that_comes_back_gets_the_next_slot_before_a_newcomer():
    """Without turns the slot went to whoever asked first after it was freed (in practice the client
    that had just finished, uploading again), and a polite client could wait for ever."""
    app = create_app(
        {"GRAPH": graph.default(), "AUDIT": False, "UPLOADS_AT_ONCE": 1, "SERVER_THREADS": 4, "FILE_TIME_LIMIT": 2}
    )
    post(app.test_client(), [("warm.nt", b"<urn:a> <urn:b> <urn:c> .\n")])
    holder = threading.Thread(target=lambda: post(app.test_client(), [("slow.ttl", SLOW_TURTLE)]))
    holder.start()
    polite = app.test_client()  # keeps its cookies, as a browser does
    time.sleep(1.0)
    refused = post(polite, [good_plan()])
    assert refused.status_code == 503 and "graphsvc_upload_turn=" in refused.headers["Set-Cookie"]
    while holder.is_alive():  # it comes back, as Retry-After asks, until the slot is free
        assert post(polite, [good_plan()]).status_code == 503
        holder.join(1.0)
    assert post(app.test_client(), [good_plan()]).status_code == 503  # a newcomer waits behind it
    assert post(polite, [good_plan()]).status_code == 200
    assert post(app.test_client(), [good_plan()]).status_code == 200  # then the slot is anyone's
