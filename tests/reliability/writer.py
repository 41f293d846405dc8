"""A writer process for the reliability tests.

    python writer.py DB USER PASSPHRASE TAG COUNT

DB is a path or a team server's address.

Opens the register, prints READY, then runs COUNT write transactions. Each inserts a client
numbered TAG-i and increments a shared counter (client 'SHARED'), so that a lost update shows.
After each commit it prints the number, so the parent knows exactly what was committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers import make_client
from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.address import location
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register


def main() -> int:
    db, user, passphrase, tag, count = sys.argv[1:6]
    register = open_register(location(db), user, passphrase)
    print("READY", flush=True)
    try:
        for i in range(int(count)):
            number = f"{tag}-{i}"
            with register.write() as session:
                shared = session.scalars(select(Client).where(Client.number == "SHARED")).one()
                shared.house_number = str(int(shared.house_number) + 1)
                session.add(make_client(number, f"Bewoner {number}", own_words="x" * 200))
            print(number, flush=True)
    except WijkteamError as error:
        print(f"ERROR {error.message}", file=sys.stderr, flush=True)
        return 1
    finally:
        register.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
