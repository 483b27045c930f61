#include "passphrasetext.h"

#include <QCoreApplication>

namespace kaodian::kiosk {

QString passphraseRuleText()
{
    return QCoreApplication::translate("Passphrase",
                                       "考点口令至少 %1 个字符，须含小写字母、大写字母、数字、符号中的至少 %2 类，"
                                       "不能是同一段字符的重复（至少 %3 个不同字符）")
        .arg(kMinPassphraseLength)
        .arg(kMinPassphraseKinds)
        .arg(kMinPassphraseDistinct);
}

QString passphraseProblemText(PassphraseProblem problem)
{
    switch (problem) {
    case PassphraseProblem::TooShort:
        return QCoreApplication::translate("Passphrase", "考点口令太短：至少 %1 个字符").arg(kMinPassphraseLength);
    case PassphraseProblem::OneKind:
        return QCoreApplication::translate("Passphrase",
                                           "考点口令只用了一类字符：请混用小写字母、大写字母、数字、符号中的至少 %1 类")
            .arg(kMinPassphraseKinds);
    case PassphraseProblem::Repetitive:
        return QCoreApplication::translate("Passphrase",
                                           "考点口令太简单：不能是同一段字符的重复，至少要有 %1 个不同字符")
            .arg(kMinPassphraseDistinct);
    }
    return passphraseRuleText();
}

QString passphraseWaitText(int seconds)
{
    return QCoreApplication::translate("Passphrase", "考点口令连续输错，请 %1 秒后再试").arg(seconds);
}

} // namespace kaodian::kiosk
