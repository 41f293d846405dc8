"""What a write transaction promises on both backends (SQLite and the team server).

A write takes the register's write lock when it begins, so that it waits for a colleague's
write up front instead of failing half-way. Each backend's `begin` hook reads the execution
options below; the person is told after WAIT_NOTICE_MS that the program waits, and the write
is given up after BUSY_TIMEOUT_MS.
"""

#: How long a write waits for another writer before it is given up.
BUSY_TIMEOUT_MS = 30_000
#: Execution options of write transactions, read by each backend's `begin` hook: the mode
#: ("IMMEDIATE" for a write), and what to call when the write waited for a colleague.
BEGIN_OPTION = "wijkteam_begin"
WAITING_OPTION = "wijkteam_waiting"
#: After this long waiting for another writer (locally or on the team server), the person is
#: told that the program waits; after BUSY_TIMEOUT_MS the write is given up.
WAIT_NOTICE_MS = 2_000
