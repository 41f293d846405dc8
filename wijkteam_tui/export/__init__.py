"""What leaves the register as a file or as text for scripts. No Textual here: the command line
and the screens both use these renderers."""
