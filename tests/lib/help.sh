# help.sh: reading `axl help CMD` the way a script would.  Source after
# tap.sh; $AXL names the binary (default: axl on the PATH).

# help_optcol CMD: the option column of `axl help CMD`, one option a
# line, every spelling: "-f, --config=FILE, --defconfig=FILE".  An option
# line is "  -x, --name=ARG, --alias=ARG" then, after two spaces or on
# the next line, its help.
help_optcol() {
    "${AXL:-axl}" help "$1" | sed -n 's/^  \(-[^ ].*\)$/\1/p' | sed 's/  .*//'
}
