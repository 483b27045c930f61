#pragma once

// The CJK typeface admission tickets are set in, loaded explicitly from its
// file so the PDF embeds it (a subset) and prints the same on any machine,
// whatever fonts the printing machine has. Debian: fonts-wqy-microhei.
// Needs a QGuiApplication (the font database). Thread-safe: the font is
// loaded once, under a mutex; call ticketFont() early on the main thread
// (as `serve` does) so the font database is filled there.

#include "core/result.h"

#include <QFont>
#include <QString>
#include <QStringList>

namespace kaodian::server {

struct TicketFont
{
    QString family; // as registered with QFontDatabase
    QString file; // where it was loaded from
    // Families tried, in order, for a character the main font lacks: the
    // rare characters of real names (CJK Extension B and beyond, 李𪚥, 𠀁明).
    // Debian: fonts-hanazono (HanaMinA, HanaMinB). Empty when not installed.
    QStringList fallbacks;
};

// Where the fallback fonts are looked for: $KAODIAN_FALLBACK_FONTS (files,
// ':'-separated), the Debian paths of HanaMinA and HanaMinB, then what
// fc-match finds for those families.
QStringList fallbackFontCandidates();

// The typeface every PDF and image draws with: family first, then the
// loaded fallbacks (so a name in CJK Extension B draws its glyph, not the
// font's missing-glyph box).
QFont ticketTypeface(const TicketFont &font);

// Where the font is looked for, in order: $KAODIAN_TICKET_FONT, then the
// Debian paths of WenQuanYi Micro Hei / Zen Hei, then what fc-match finds
// for those families (TrueType outlines only, so Qt embeds them as fonts).
QStringList ticketFontCandidates();

// Loads (once) and returns the ticket font, or a message saying what to install.
Result<TicketFont, QString> ticketFont();

} // namespace kaodian::server
