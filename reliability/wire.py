"""A browser session reduced to its protocol, for load tests (`reliability.sessions`).

The client opens the app's websocket (`/_stcore/stream`) and exchanges the protobuf messages
the browser sends and receives: a rerun request (page, widget values) in, the elements the
script showed out. The server cannot tell it from a browser tab, so it runs each client's
script in its own session thread exactly as it does for people.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

STEP_TIMEOUT_S = 180


@dataclass
class Run:
    """What one script run showed: every element (as protobuf text) in order."""

    elements: list = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(str(e) for e in self.elements)

    def widget_id(self, kind: str, contains: str) -> str:
        for element in self.elements:
            if element.WhichOneof("type") == kind:
                wid = getattr(element, kind).id
                if contains in wid:
                    return wid
        raise LookupError(f"no {kind} whose id contains {contains!r} was shown")

    def problems(self) -> list[str]:
        found = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind == "exception":
                found.append(f"exception: {element.exception.message[:200]}")
            elif kind == "alert" and element.alert.format == 1:  # Alert.Format.ERROR
                found.append(f"error box: {element.alert.body[:200]}")
        return found


class Client:
    """A browser session reduced to its protocol: rerun requests in, elements out."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        from websockets.sync.client import connect

        self._connection = connect(f"ws://{host}:{port}/_stcore/stream",
                                   subprotocols=["streamlit"], max_size=None, open_timeout=60)
        self.ws = self._connection.__enter__()
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.runs = 0

    def rerun(self, page: str, widgets: dict[str, object] | None = None) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        if page in self.pages:
            state.page_script_hash = self.pages[page]
        else:
            state.page_name = page
        for wid, value in (widgets or {}).items():
            w = state.widget_states.widgets.add()
            w.id = wid
            if value is True:
                w.trigger_value = True
            else:
                w.string_value = str(value)
        self.ws.send(msg.SerializeToString())
        return self._collect()

    def _collect(self) -> Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        run, deadline = Run(), time.monotonic() + STEP_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no script_finished within {STEP_TIMEOUT_S} s")
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=remaining))
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash
                              for p in msg.navigation.app_pages}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                run.elements.append(msg.delta.new_element)
            elif kind == "script_finished":
                self.runs += 1
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run = Run()  # st.rerun(): what counts is the run that follows
                elif msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("the app failed to compile")
                else:
                    return run

    def close(self) -> None:
        self._connection.__exit__(None, None, None)
