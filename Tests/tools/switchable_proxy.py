"""A TCP proxy to a unix socket whose target can be switched while it runs: the part haproxy plays in a failover,
reduced to what a test needs. Each new connection goes to the socket named in TARGET_FILE at the time it connects;
connections made before a switch stay where they were (as they do behind haproxy until it shuts them down).

Usage: switchable_proxy.py PORT_FILE TARGET_FILE — listens on 127.0.0.1 (a free port, written to PORT_FILE)."""
import asyncio
import os
import sys

port_file, target_file = sys.argv[1], sys.argv[2]


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    with open(target_file) as file:
        target = file.read().strip()
    try:
        reader, writer = await asyncio.open_unix_connection(target)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, writer), pipe(reader, client_writer))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    with open(port_file + ".tmp", "w") as file:
        file.write(str(server.sockets[0].getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


asyncio.run(main())
