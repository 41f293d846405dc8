"""wijkteam: a terminal case register that keeps people duurzaam in beeld."""

__version__ = "0.1.0"
