#!/usr/bin/env bash
# completion.sh STRATA bash|zsh OUT: strata's shell completion, its words read from the help
# text of STRATA (strata --help and strata WORD --help), so the two cannot drift apart.
# --overlay names come from `strata status WS --json`, asked when the user presses Tab.
set -euo pipefail
strata=$1 shell=$2 out=$3
help=$("$strata" --help)

# Command lines of the help are indented by exactly two spaces.
commands=$(sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p' <<<"$help" | awk '!seen[$0]++' | tr '\n' ' ')
scenarios=$(sed -n '/^Scenarios:/,/^$/s/^    \([a-z][a-z-]*\) .*/\1/p' <<<"$help" | tr '\n' ' ')
op_verbs=$(tr '\n' ' ' <<<"$help" | sed -n 's/.*(verbs: \([^)]*\)).*/\1/p' | tr -s ', ' ' ')
backends=$(sed -n 's/.*B: \([a-z, ]*\)$/\1/p' <<<"$help" | head -1 | tr -s ', ' ' ')
# Options that take a value: written "--name VALUE" (or "--backend auto|...") in the help.
valued=$(grep -o -- '--[a-z][a-z-]*[ =]\([A-Z]\|auto|\)' <<<"$help$(for c in $commands; do "$strata" "$c" --help; done)" |
  sed 's/[ =].*//' | sort -u | tr '\n' ' ')

# One command's block of the main help: its line and the continuation lines below it.
block() { awk -v c="$1" '/^  [a-z]/ { on = ($1 == c) } /^[^ ]/ { on = 0 } on' <<<"$help"; }
words_of() { { grep -o -- '--[a-z][a-z-]*' || true; } | sort -u | tr '\n' ' '; }

# Per command: its verbs (a command of its own subcommands) and its options.
verbs_table="" options_table=""
for c in $commands; do
  own=$("$strata" "$c" --help)
  verbs=""
  options=$(block "$c" | words_of)
  if [[ $own == "Usage: strata $c "* ]]; then # its own help, not the whole usage
    options=$(words_of <<<"$own$(block "$c")")
  fi
  if [[ $own == "Usage: strata $c COMMAND"* ]]; then
    verbs=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' <<<"$own" | tr '\n' ' ')
  fi
  [[ $c == op ]] && verbs=$op_verbs
  verbs_table+="[$c]='${verbs% }' "
  options_table+="[$c]='${options% } --help' "
done

emit_bash() {
  cat <<EOF
# bash completion for strata, generated from its --help by packaging/completion.sh
declare -gA _strata_verbs=($verbs_table)
declare -gA _strata_options=($options_table)
_strata_valued=" ${valued}"
EOF
  cat <<'EOF'
_strata() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd=${COMP_WORDS[1]}
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "${!_strata_verbs[*]} --help --version" -- "$cur")
        return
    fi
    # The positionals before the cursor (options and their values skipped): WS is the first.
    local -a pos=()
    local i w
    for ((i = 2; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == -* ]]; then
            [[ $_strata_valued == *" $w "* ]] && ((i++))
        else
            pos+=("$w")
        fi
    done
    local words=""
    case $prev in
    --overlay | --stack-on)
        words=$(strata status "${pos[0]:-.}" --json 2>/dev/null | sed -n 's/^ *"overlay": "\(.*\)",*$/\1/p') ;;
    --backend) words="__BACKENDS__" ;;
    *)
        if [[ $_strata_valued == *" $prev "* ]]; then
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return
        elif [[ $cur == -* ]]; then
            words=${_strata_options[$cmd]}
        elif [[ $cmd == scenario && ${#pos[@]} == 0 ]]; then
            words="__SCENARIOS__"
        elif [[ $cmd == op && ${#pos[@]} == 1 ]] || [[ $cmd != op && ${#pos[@]} == 0 && -n ${_strata_verbs[$cmd]} ]]; then
            words=${_strata_verbs[$cmd]}
        else
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return
        fi ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -o filenames -F _strata strata
EOF
}

emit_zsh() {
  cat <<EOF
#compdef strata
# zsh completion for strata, generated from its --help by packaging/completion.sh
typeset -gA _strata_verbs _strata_options
_strata_verbs=($verbs_table)
_strata_options=($options_table)
_strata_valued=" ${valued}"
EOF
  cat <<'EOF'
_strata() {
    local cmd=$words[2] prev=$words[CURRENT-1]
    if (( CURRENT == 2 )); then
        compadd -- ${(k)_strata_verbs} --help --version
        return
    fi
    local -a pos
    local i
    for (( i = 3; i < CURRENT; i++ )); do
        if [[ $words[i] == -* ]]; then
            [[ $_strata_valued == *" $words[i] "* ]] && (( i++ ))
        else
            pos+=($words[i])
        fi
    done
    case $prev in
    --overlay|--stack-on)
        compadd -- ${(f)"$(strata status ${pos[1]:-.} --json 2>/dev/null | sed -n 's/^ *"overlay": "\(.*\)",*$/\1/p')"}
        return ;;
    --backend) compadd -- __BACKENDS__; return ;;
    esac
    if [[ $_strata_valued == *" $prev "* ]]; then
        _files
    elif [[ $PREFIX == -* ]]; then
        compadd -- ${=_strata_options[$cmd]}
    elif [[ $cmd == scenario && $#pos == 0 ]]; then
        compadd -- __SCENARIOS__
    elif [[ $cmd == op && $#pos == 1 ]] || [[ $cmd != op && $#pos == 0 && -n $_strata_verbs[$cmd] ]]; then
        compadd -- ${=_strata_verbs[$cmd]}
    else
        _files
    fi
}
_strata "$@"
EOF
}

case $shell in
bash) emit_bash ;;
zsh) emit_zsh ;;
*) echo "completion.sh: bash or zsh, not $shell" >&2; exit 2 ;;
esac | sed "s/__BACKENDS__/${backends% }/; s/__SCENARIOS__/${scenarios% }/" >"$out.tmp"
mv "$out.tmp" "$out"
