#compdef pigsty-appliance
# zsh completion for pigsty-appliance.
# The program answers for itself: System.CommandLine's [suggest:N] directive takes the command line typed so far (N is its
# length) and prints one candidate a line; compadd keeps those matching the word under the cursor.
_pigsty_appliance()
{
    local line="${(j: :)words[2,CURRENT]}"
    local -a candidates
    candidates=("${(@f)$("${words[1]}" "[suggest:${#line}]" "$line" 2>/dev/null)}")
    # /h and /? are the Windows spellings of --help; they are no use in a POSIX shell.
    candidates=("${(@)candidates:#/*}")
    if (( ${#candidates} )); then
        compadd -a candidates
    else
        _files
    fi
}
compdef _pigsty_appliance pigsty-appliance
