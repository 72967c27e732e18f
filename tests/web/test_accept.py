"""FairAcceptLoop, the event loop of `auditor serve`: every connection of a burst is served,
and a worker that already holds connections takes new ones only after a delay (so that the
worker with fewer takes them first)."""
from __future__ import annotations

import asyncio

from auditor.web.app import ACCEPT_DELAY, FairAcceptLoop


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()


async def _roundtrip(port: int, n: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"%d\n" % n)
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return answer


def test_a_burst_is_served_and_a_busy_worker_waits_before_accepting():
    async def main() -> tuple[list[bytes], float, float]:
        loop = asyncio.get_running_loop()
        assert isinstance(loop, FairAcceptLoop)
        server = await asyncio.start_server(_echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        idle = float("inf")
        for _ in range(3):  # no connection held: accepted at once (the best of three, as the machine may stall one)
            t0 = loop.time()
            first = await _roundtrip(port, 0)
            idle = min(idle, loop.time() - t0)
        held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]
        t0 = loop.time()
        answers = [first] + list(await asyncio.gather(*(_roundtrip(port, n) for n in range(1, 21))))
        busy = loop.time() - t0
        for _, writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
        return answers, idle, busy

    with asyncio.Runner(loop_factory=FairAcceptLoop) as runner:
        answers, idle, busy = runner.run(main())
    assert answers == [b"%d\n" % n for n in range(21)]
    # the 20 were accepted one at a time, each after (connections held) ms: at least 5 + 6 + ...
    assert busy >= 20 * 5 * ACCEPT_DELAY
    assert idle < busy
