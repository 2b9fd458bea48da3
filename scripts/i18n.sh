#!/bin/sh
# Translations (docs/translating.md). Needs GNU gettext (Debian/Ubuntu: apt install gettext).
#   scripts/i18n.sh extract   the English source strings into breakd/locale/breakd.pot, and
#                             merged into every breakd.po (new strings empty, changed ones fuzzy)
#   scripts/i18n.sh compile   every breakd.po into the breakd.mo next to it (committed: the
#                             package ships them; the suite checks they match the .po)
set -eu
cd "$(dirname "$0")/.."
locale=breakd/locale
case "${1:-}" in
extract)
    # Translated text is marked N_("...") where it is defined (module constants) or looked up
    # with tr.gettext / tr.ngettext where it is made.
    find breakd -name '*.py' -not -path '*/locale/*' | LC_ALL=C sort |
        xgettext --files-from=- --language=Python --from-code=UTF-8 \
            --keyword= --keyword=N_ --keyword=gettext --keyword=ngettext:1,2 \
            --add-comments=TRANSLATORS: --sort-by-file --no-wrap \
            --package-name=breakd --msgid-bugs-address=https://github.com/breakd/breakd/issues \
            --output="$locale/breakd.pot"
    for po in "$locale"/*/LC_MESSAGES/breakd.po; do
        msgmerge --quiet --update --backup=none --no-wrap "$po" "$locale/breakd.pot"
    done
    ;;
compile)
    for po in "$locale"/*/LC_MESSAGES/breakd.po; do
        msgfmt --check --output-file="${po%.po}.mo" "$po"
    done
    ;;
*)
    echo "usage: scripts/i18n.sh extract|compile" >&2
    exit 2
    ;;
esac
