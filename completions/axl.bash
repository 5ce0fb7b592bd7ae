# bash completion for axl.  Every candidate comes from axl itself:
# `axl __complete CWORD WORDS...` reads axl's command table (commands,
# options, what each argument is) and asks libxl for domain names.
# Nothing here knows axl's commands, and no help text is scraped.

_axl() {
    local cmd=${1:-axl} cword=$COMP_CWORD c IFS=$'\n'
    local -a words=("${COMP_WORDS[@]}") cands
    # bash splits "--config=FILE" at '=': after a bare "=" the value is
    # still empty.
    if [ "${words[cword]}" = "=" ]; then
        words+=("")
        cword=$((cword + 1))
    fi
    cands=($("$cmd" __complete "$cword" "${words[@]}" 2>/dev/null))
    COMPREPLY=("${cands[@]}")
    for c in "${cands[@]}"; do
        case $c in
        */ | *=)
            # A directory or "--option=": the word goes on.
            compopt -o nospace 2>/dev/null
            break
            ;;
        esac
    done
}
complete -F _axl axl
