#!/bin/sh
# Translations (docs/translating.md). Needs GNU gettext (Debian/Ubuntu: apt install gettext).
#   scripts/i18n.sh extract   the English source strings into breakd/locale/breakd.pot, and
#                             merged into every breakd.po (new strings empty, changed ones fuzzy,
#                             removed ones dropped)
#   scripts/i18n.sh template FILE   only the template, into FILE (the suite compares it)
#   scripts/i18n.sh compile   every breakd.po into the breakd.mo next to it (committed: the
#                             package ships them; the suite checks they match the .po)
set -eu
cd "$(dirname "$0")/.."
locale=breakd/locale
template() {
    # Translated text is marked N_("...") where it is defined (module constants) or looked up
    # with tr.gettext / tr.ngettext / tr.pgettext (with a context) where it is made.
    find breakd -name '*.py' | LC_ALL=C sort |
        xgettext --files-from=- --language=Python --from-code=UTF-8 \
            --keyword= --keyword=N_ --keyword=gettext --keyword=ngettext:1,2 --keyword=phrases:1,2 \
            --keyword=pgettext:1c,2 \
            --add-comments=TRANSLATORS: --sort-by-file --no-wrap \
            --package-name=breakd --output="$1"
}
case "${1:-}" in
template)
    template "$2"
    ;;
extract)
    template "$locale/breakd.pot"
    for po in "$locale"/*/LC_MESSAGES/breakd.po; do
        msgmerge --quiet --update --backup=none --no-wrap "$po" "$locale/breakd.pot"
        msgattrib --no-obsolete --no-wrap --output-file="$po" "$po"  # strings gone from the code
    done
    ;;
compile)
    for po in "$locale"/*/LC_MESSAGES/breakd.po; do
        msgfmt --check --output-file="${po%.po}.mo" "$po"
    done
    ;;
*)
    echo "usage: scripts/i18n.sh extract|compile|template FILE" >&2
    exit 2
    ;;
esac
