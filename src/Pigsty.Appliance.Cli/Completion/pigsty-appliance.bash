# bash completion for pigsty-appliance.
# The program answers for itself: System.CommandLine's [suggest:N] directive takes the command line typed so far (N is its
# length) and prints one candidate a line; this function only asks it and filters by the word under the cursor.
_pigsty_appliance_complete()
{
    local program="${COMP_WORDS[0]}"
    local line="${COMP_LINE:0:COMP_POINT}"
    line="${line#"$program"}"
    line="${line# }"
    local candidates
    candidates="$("$program" "[suggest:${#line}]" "$line" 2>/dev/null)" || return 0
    local IFS=$'\n'
    local word
    COMPREPLY=()
    # /h and /? are the Windows spellings of --help; they are no use in a POSIX shell.
    for word in $(compgen -W "$candidates" -- "${COMP_WORDS[COMP_CWORD]}"); do
        [[ "$word" == /* ]] || COMPREPLY+=("$word")
    done
}
complete -o default -F _pigsty_appliance_complete pigsty-appliance
