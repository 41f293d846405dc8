from wijkteam_tui.cli import run

run()
