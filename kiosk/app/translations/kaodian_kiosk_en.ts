<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ChangePassphrasePanel</name>
    <message>
        <source>更改考点口令</source>
        <translation>Change the site passphrase</translation>
    </message>
    <message>
        <source>当前的考点口令</source>
        <translation>Current site passphrase</translation>
    </message>
    <message>
        <source>新的考点口令</source>
        <translation>New site passphrase</translation>
    </message>
    <message>
        <source>再次输入新的考点口令</source>
        <translation>New site passphrase again</translation>
    </message>
    <message>
        <source>请 %1 秒后再试</source>
        <translation>Please try again in %1 s</translation>
    </message>
    <message>
        <source>更改口令</source>
        <translation>Change passphrase</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>CheckInScreen</name>
    <message>
        <source>无照片</source>
        <translation>No photo</translation>
    </message>
    <message>
        <source>第 %1 考场</source>
        <translation>Room %1</translation>
    </message>
    <message>
        <source>全部考场</source>
        <translation>All rooms</translation>
    </message>
    <message>
        <source>当前没有可签到的场次</source>
        <translation>No session is checking in now</translation>
    </message>
    <message>
        <source>已签到 %1 / %2</source>
        <translation>Checked in %1 / %2</translation>
    </message>
    <message>
        <source>监考</source>
        <translation>Proctor</translation>
    </message>
    <message>
        <source>请扫描准考证二维码</source>
        <translation>Please scan your admission ticket QR code</translation>
    </message>
    <message>
        <source>纸质准考证或手机上的二维码均可，请对准扫码器</source>
        <translation>Paper ticket or phone screen: hold the QR code to the scanner</translation>
    </message>
    <message>
        <source>身份证号 %1</source>
        <translation>ID number %1</translation>
    </message>
    <message>
        <source>第 %1 考场&#x3000;%2 号座位</source>
        <translation>Room %1&#x3000;Seat %2</translation>
    </message>
    <message>
        <source>迟到</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>演示：粘贴准考证二维码文本</source>
        <translation>Demo: paste a ticket QR text</translation>
    </message>
    <message>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>本机已停用</source>
        <translation>Kiosk disabled</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source> · 待上传 %1</source>
        <translation> · %1 waiting</translation>
    </message>
    <message>
        <source> · 上次同步 %1</source>
        <translation> · last sync %1</translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <source>首次使用：登记本机</source>
        <translation>First use: enrol this kiosk</translation>
    </message>
    <message>
        <source>请扫描考务办公室提供的终端登记二维码</source>
        <translation>Scan the kiosk enrolment QR code from the exam office</translation>
    </message>
    <message>
        <source>设置本机的考点口令和监考 PIN</source>
        <translation>Set this kiosk&apos;s site passphrase and proctor PIN</translation>
    </message>
    <message>
        <source>登记二维码在服务器网页的“考场终端”页登记本机后显示，也可由 kaodian-server kiosk enrol 打印。用扫码器或摄像头扫描均可。</source>
        <translation>The office&apos;s dashboard shows the enrolment QR code on its Kiosks page once this kiosk is enrolled there; kaodian-server kiosk enrol prints it too. Scan it with the scanner or the camera.</translation>
    </message>
    <message>
        <source>考点口令（至少 8 个字符）</source>
        <translation type="vanished">Site passphrase (at least 8 characters)</translation>
    </message>
    <message>
        <source>再次输入考点口令</source>
        <translation>Site passphrase again</translation>
    </message>
    <message>
        <source>监考 PIN（6 至 12 位数字）</source>
        <translation>Proctor PIN (6 to 12 digits)</translation>
    </message>
    <message>
        <source>再次输入监考 PIN</source>
        <translation>Proctor PIN again</translation>
    </message>
    <message>
        <source>正在登记…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <source>重新扫码</source>
        <translation>Scan another code</translation>
    </message>
    <message>
        <source>没有扫码器时，可在此输入登记码（KDENROL1|…）</source>
        <translation>No scanner? Type the enrolment code here (KDENROL1|…)</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>考点口令</source>
        <translation>Site passphrase</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>考点签到</source>
        <translation>Exam site check-in</translation>
    </message>
</context>
<context>
    <name>Passphrase</name>
    <message>
        <source>考点口令至少 %1 个字符，须含小写字母、大写字母、数字、符号中的至少 %2 类，不能是同一段字符的重复（至少 %3 个不同字符）</source>
        <translation>The site passphrase needs at least %1 characters, of at least %2 of these kinds: lower-case letters, capitals, digits, symbols; it must not repeat one piece (at least %3 different characters)</translation>
    </message>
    <message>
        <source>考点口令太短：至少 %1 个字符</source>
        <translation>The site passphrase is too short: at least %1 characters</translation>
    </message>
    <message>
        <source>考点口令只用了一类字符：请混用小写字母、大写字母、数字、符号中的至少 %1 类</source>
        <translation>The site passphrase uses one kind of character only: mix at least %1 of lower-case letters, capitals, digits and symbols</translation>
    </message>
    <message>
        <source>考点口令太简单：不能是同一段字符的重复，至少要有 %1 个不同字符</source>
        <translation>The site passphrase is too simple: it must not repeat one piece and needs at least %1 different characters</translation>
    </message>
    <message>
        <source>考点口令连续输错，请 %1 秒后再试</source>
        <translation>Wrong site passphrases in a row: please try again in %1 s</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>请输入监考 PIN</source>
        <translation>Enter the proctor PIN</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>ProctorScreen</name>
    <message>
        <source>无照片</source>
        <translation>No photo</translation>
    </message>
    <message>
        <source>重复签到 %1 人：以最早一次签到为准，两条记录都已保留，请核实本人</source>
        <translation>%1 checked in more than once: the earliest check-in counts, every record is kept; please verify the candidate</translation>
    </message>
    <message>
        <source>监考模式</source>
        <translation>Proctor mode</translation>
    </message>
    <message>
        <source>返回签到</source>
        <translation>Back to check-in</translation>
    </message>
    <message>
        <source>（已结束）</source>
        <translation> (closed)</translation>
    </message>
    <message>
        <source>锁定本机</source>
        <translation>Lock kiosk</translation>
    </message>
    <message>
        <source>应到</source>
        <translation>Expected</translation>
    </message>
    <message>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>未签到</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>其中迟到</source>
        <translation>Of whom late</translation>
    </message>
    <message>
        <source>缺考</source>
        <translation>Absent</translation>
    </message>
    <message>
        <source>免考</source>
        <translation>Excused</translation>
    </message>
    <message>
        <source>搜索：姓名、准考证号、座位号或身份证后四位</source>
        <translation>Search: name, ticket number, seat or last 4 of ID</translation>
    </message>
    <message>
        <source>%1&#x3000;%2号座&#x3000;%3&#x3000;%4</source>
        <translation>%1&#x3000;seat %2&#x3000;%3&#x3000;%4</translation>
    </message>
    <message>
        <source>请在左侧名单中点选考生</source>
        <translation>Tap a candidate in the roster on the left</translation>
    </message>
    <message>
        <source>原因或说明（手工签到、撤销、免考、情况记录时必填）</source>
        <translation>Reason or note (required for manual check-in, undo, excused, incidents)</translation>
    </message>
    <message>
        <source>准考证遗失</source>
        <translation>Ticket lost</translation>
    </message>
    <message>
        <source>二维码无法识别</source>
        <translation>QR code unreadable</translation>
    </message>
    <message>
        <source>误签到</source>
        <translation>Checked in by mistake</translation>
    </message>
    <message>
        <source>病假</source>
        <translation>Sick leave</translation>
    </message>
    <message>
        <source>手工签到</source>
        <translation>Check in</translation>
    </message>
    <message>
        <source>撤销签到</source>
        <translation>Undo check-in</translation>
    </message>
    <message>
        <source>标记迟到</source>
        <translation>Mark late</translation>
    </message>
    <message>
        <source>标记缺考</source>
        <translation>Mark absent</translation>
    </message>
    <message>
        <source>标记免考</source>
        <translation>Mark excused</translation>
    </message>
    <message>
        <source>记录情况</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>录入成绩</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>分数（可不填）</source>
        <translation>Score (optional)</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Pass</translation>
    </message>
    <message>
        <source>未通过</source>
        <translation>Fail</translation>
    </message>
    <message>
        <source>监考签字（姓名）</source>
        <translation>Proctor signature (name)</translation>
    </message>
    <message>
        <source>结束签到并签字</source>
        <translation>Close and sign</translation>
    </message>
    <message>
        <source>本场已结束签到</source>
        <translation>This session is closed</translation>
    </message>
    <message>
        <source>更改口令</source>
        <translation>Change passphrase</translation>
    </message>
    <message>
        <source>请点选您的姓名</source>
        <translation>Tap your name</translation>
    </message>
    <message>
        <source>%1，请输入您的 PIN</source>
        <translation>%1, enter your PIN</translation>
    </message>
    <message>
        <source>%1，请再输入一次新的 PIN</source>
        <translation>%1, enter the new PIN again</translation>
    </message>
    <message>
        <source>%1，首次使用：请设置您的 PIN（4–12 位数字）</source>
        <translation>%1, first use: set your PIN (4–12 digits)</translation>
    </message>
    <message>
        <source>换一位监考</source>
        <translation>Another proctor</translation>
    </message>
    <message>
        <source>监考：%1</source>
        <translation>Proctor: %1</translation>
    </message>
    <message>
        <source>考场情况</source>
        <translation>Room incident</translation>
    </message>
    <message>
        <source>签字监考</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <source>重新开放签到：</source>
        <translation>Reopen check-in:</translation>
    </message>
</context>
<context>
    <name>StoreError</name>
    <message>
        <source>考点口令不正确</source>
        <translation>The site passphrase is not correct</translation>
    </message>
    <message>
        <source>找不到本机数据的密钥文件（%1）。请联系考务办公室。</source>
        <translation>This kiosk&apos;s key file is missing (%1). Please call the exam office.</translation>
    </message>
    <message>
        <source>本机数据的密钥文件已损坏或版本不符（%1）。请联系考务办公室。</source>
        <translation>This kiosk&apos;s key file is damaged or from another version (%1). Please call the exam office.</translation>
    </message>
    <message>
        <source>密钥文件与本机数据不配套（%1）。请联系考务办公室。</source>
        <translation>The key file does not belong to this kiosk&apos;s data (%1). Please call the exam office.</translation>
    </message>
    <message>
        <source>找不到本机数据（%1）。请联系考务办公室。</source>
        <translation>This kiosk&apos;s data is missing (%1). Please call the exam office.</translation>
    </message>
    <message>
        <source>本机已有考点数据（%1），未覆盖。</source>
        <translation>This kiosk already holds site data (%1); it was not overwritten.</translation>
    </message>
    <message>
        <source>本机数据已损坏，已移到 %1 保存。请联系考务办公室重新登记本机。</source>
        <translation>This kiosk&apos;s data was damaged and has been moved aside to %1. Please ask the exam office to enrol this kiosk again.</translation>
    </message>
    <message>
        <source>本机数据由更新版本的考场终端写入，本版本不能打开。请升级考场终端软件。</source>
        <translation>This kiosk&apos;s data was written by a newer version of the kiosk software, which this version cannot open. Please update the kiosk software.</translation>
    </message>
    <message>
        <source>本机数据的日志文件（-wal）丢失，最近的记录可能不全；数据未改动。请联系考务办公室。</source>
        <translation>This kiosk&apos;s data log (-wal) is missing: the latest records may be incomplete. Nothing was changed. Please call the exam office.</translation>
    </message>
    <message>
        <source>本机数据的密钥保护强度低于要求。请联系考务办公室重新登记本机。</source>
        <translation>This kiosk&apos;s data key is protected less strongly than required. Please ask the exam office to enrol this kiosk again.</translation>
    </message>
    <message>
        <source>无法读写本机数据（%1）：磁盘可能已满或损坏。</source>
        <translation>Cannot read or write this kiosk&apos;s data (%1): the disk may be full or failing.</translation>
    </message>
    <message>
        <source>本机数据读写出错。请重启考场终端；如仍出错，请联系考务办公室。</source>
        <translation>This kiosk&apos;s data could not be read or written. Please restart the kiosk; if it happens again, call the exam office.</translation>
    </message>
    <message>
        <source>本机数据拒绝了这项操作。</source>
        <translation>This kiosk&apos;s data store refused the operation.</translation>
    </message>
    <message>
        <source>考点口令错误次数过多，请稍后再试</source>
        <translation>Too many wrong site passphrases: please try again later</translation>
    </message>
    <message>
        <source>本机的加密库出错（加密库错误）。请重启考场终端；如仍出错，请联系技术人员。</source>
        <translation>This kiosk's crypto library failed. Please restart the kiosk; if it happens again, call the technician.</translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>考点签到终端已锁定</source>
        <translation>Check-in kiosk is locked</translation>
    </message>
    <message>
        <source>请监考老师输入考点口令解锁</source>
        <translation>A proctor must enter the site passphrase to unlock</translation>
    </message>
    <message>
        <source>考点口令</source>
        <translation>Site passphrase</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>演示模式：口令默认为 kaodian-demo，监考 PIN 默认为 123456</source>
        <translation>Demo mode: passphrase kaodian-demo, proctor PIN 123456 by default</translation>
    </message>
    <message>
        <source>请 %1 秒后再试</source>
        <translation>Please try again in %1 s</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::ChangePassphraseViewModel</name>
    <message>
        <source>本机已锁定，请先用考点口令解锁</source>
        <translation>This kiosk is locked: unlock it with the site passphrase first</translation>
    </message>
    <message>
        <source>请输入当前的考点口令</source>
        <translation>Please enter the current site passphrase</translation>
    </message>
    <message>
        <source>两次输入的新口令不一致，请重新输入</source>
        <translation>The two new passphrases differ; please type them again</translation>
    </message>
    <message>
        <source>新口令与当前口令相同，请换一个</source>
        <translation>The new passphrase is the current one; please choose another</translation>
    </message>
    <message>
        <source>当前的考点口令不正确，口令未更改</source>
        <translation>The current site passphrase is not correct; nothing was changed</translation>
    </message>
    <message>
        <source>口令未更改：%1</source>
        <translation>The passphrase was not changed: %1</translation>
    </message>
    <message>
        <source>考点口令已更改：下次解锁请用新口令</source>
        <translation>The site passphrase is changed: unlock with the new one from now on</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::CheckInViewModel</name>
    <message>
        <source>签到成功</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>签到成功（迟到）</source>
        <translation>Checked in (late)</translation>
    </message>
    <message>
        <source>准考证无效</source>
        <translation>Invalid ticket</translation>
    </message>
    <message>
        <source>准考证已作废</source>
        <translation>Ticket revoked</translation>
    </message>
    <message>
        <source>不在本考场名单</source>
        <translation>Not on this room&apos;s roster</translation>
    </message>
    <message>
        <source>不是本场考试</source>
        <translation>Not this session</translation>
    </message>
    <message>
        <source>请到其他考场</source>
        <translation>Please go to another room</translation>
    </message>
    <message>
        <source>不是今天的考试</source>
        <translation>Not today&apos;s exam</translation>
    </message>
    <message>
        <source>已经签到</source>
        <translation>Already checked in</translation>
    </message>
    <message>
        <source>签到尚未开始</source>
        <translation>Check-in not open yet</translation>
    </message>
    <message>
        <source>本场签到已结束</source>
        <translation>Check-in closed</translation>
    </message>
    <message>
        <source>签到未能保存</source>
        <translation>Check-in not saved</translation>
    </message>
    <message>
        <source>请到第 %1 考场 %2 号座位就座</source>
        <translation>Please take seat %2 in room %1</translation>
    </message>
    <message>
        <source>已记为迟到。请到第 %1 考场 %2 号座位就座</source>
        <translation>Recorded as late. Please take seat %2 in room %1</translation>
    </message>
    <message>
        <source>没有读到内容，请重新扫码</source>
        <translation>Nothing was read, please scan again</translation>
    </message>
    <message>
        <source>这不是准考证二维码，请出示准考证上的二维码</source>
        <translation>This is not an admission ticket QR code; please show the code on your ticket</translation>
    </message>
    <message>
        <source>准考证格式较新，本机无法识别，请联系监考老师</source>
        <translation>This ticket is in a newer format this kiosk cannot read; please see the proctor</translation>
    </message>
    <message>
        <source>二维码已损坏或不完整，请重新扫码或联系监考老师</source>
        <translation>The QR code is damaged or incomplete; scan again or see the proctor</translation>
    </message>
    <message>
        <source>准考证不是本考点签发，请联系监考老师</source>
        <translation>This ticket was not issued for this exam site; please see the proctor</translation>
    </message>
    <message>
        <source>准考证签名无效：伪造或已被改动，请联系监考老师</source>
        <translation>Invalid signature: forged or altered ticket; please see the proctor</translation>
    </message>
    <message>
        <source>准考证尚未生效，请联系监考老师</source>
        <translation>This ticket is not valid yet; please see the proctor</translation>
    </message>
    <message>
        <source>准考证已过期，请联系监考老师</source>
        <translation>This ticket has expired; please see the proctor</translation>
    </message>
    <message>
        <source>准考证无效，请联系监考老师</source>
        <translation>Invalid ticket; please see the proctor</translation>
    </message>
    <message>
        <source>此准考证已作废（%1 已重新打印），请出示新准考证</source>
        <translation>This ticket was replaced (re-issued %1); please show the new one</translation>
    </message>
    <message>
        <source>此准考证已作废（已重新打印），请出示新准考证</source>
        <translation>This ticket was replaced by a re-issued one; please show the new one</translation>
    </message>
    <message>
        <source>此准考证不在本考场名单中，请联系监考老师</source>
        <translation>This ticket is not on this room&apos;s roster; please see the proctor</translation>
    </message>
    <message>
        <source>您的考试是 %1 %2 开始的「%3」，不是本场</source>
        <translation>Your exam is “%3” starting %1 %2, not this session</translation>
    </message>
    <message>
        <source>准考证与场次不符，请联系监考老师</source>
        <translation>The ticket does not match its session; please see the proctor</translation>
    </message>
    <message>
        <source>您的考场是第 %1 考场，本考场为第 %2 考场</source>
        <translation>Your room is %1; this is room %2</translation>
    </message>
    <message>
        <source>您的考试在 %1 %2，不是今天</source>
        <translation>Your exam is on %1 at %2, not today</translation>
    </message>
    <message>
        <source>您的考试不是今天</source>
        <translation>Your exam is not today</translation>
    </message>
    <message>
        <source>已于 %1 在本机签到，请勿重复扫码</source>
        <translation>Already checked in at %1 at this kiosk; no need to scan again</translation>
    </message>
    <message>
        <source>已于 %1 在 %2 签到，请勿重复扫码</source>
        <translation>Already checked in at %1 at %2; no need to scan again</translation>
    </message>
    <message>
        <source>%1 开始签到，请稍候</source>
        <translation>Check-in opens at %1; please wait</translation>
    </message>
    <message>
        <source>监考老师已结束本场签到，请联系监考老师</source>
        <translation>The proctor has closed check-in for this session; please see the proctor</translation>
    </message>
    <message>
        <source>签到未能保存，请到监考老师处登记</source>
        <translation>The check-in could not be saved; please register with the proctor</translation>
    </message>
    <message>
        <source>本机已停用</source>
        <translation>Kiosk disabled</translation>
    </message>
    <message>
        <source>本机已停用，请到监考老师处签到</source>
        <translation>This kiosk is disabled. Please check in with the proctor.</translation>
    </message>
    <message>
        <source>M月d日 HH:mm</source>
        <translation>d MMM HH:mm</translation>
    </message>
    <message>
        <source>M月d日</source>
        <translation>d MMM</translation>
    </message>
    <message>
        <source>已退考</source>
        <translation>Registration withdrawn</translation>
    </message>
    <message>
        <source>此准考证的报名已退考，不能参加本场考试；如有疑问请联系监考老师</source>
        <translation>This registration was withdrawn: the candidate may not sit this exam. Please see the proctor with any question.</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::FirstRunViewModel</name>
    <message>
        <source>服务器 %1&#x3000;终端编号 %2</source>
        <translation>Server %1&#x3000;Kiosk %2</translation>
    </message>
    <message>
        <source>这是准考证二维码，不是终端登记码。请扫描考务办公室提供的终端登记二维码。</source>
        <translation>This is an admission ticket, not a kiosk enrolment code. Scan the kiosk enrolment QR code from the exam office.</translation>
    </message>
    <message>
        <source>登记码不完整或已损坏，请重新扫描。</source>
        <translation>The enrolment code is incomplete or damaged. Please scan it again.</translation>
    </message>
    <message>
        <source>这不是终端登记码（应以 KDENROL1 开头）。请扫描考务办公室提供的终端登记二维码。</source>
        <translation>This is not a kiosk enrolment code (it starts with KDENROL1). Scan the kiosk enrolment QR code from the exam office.</translation>
    </message>
    <message>
        <source>内部错误：没有可用的数据存储</source>
        <translation>Internal error: no data store</translation>
    </message>
    <message>
        <source>考点口令至少 %1 个字符</source>
        <translation type="vanished">The site passphrase needs at least %1 characters</translation>
    </message>
    <message>
        <source>两次输入的考点口令不一致，请重新输入</source>
        <translation>The two site passphrases differ; please enter them again</translation>
    </message>
    <message>
        <source>监考 PIN 须为 %1 至 %2 位数字</source>
        <translation>The proctor PIN must be %1 to %2 digits</translation>
    </message>
    <message>
        <source>两次输入的监考 PIN 不一致，请重新输入</source>
        <translation>The two proctor PINs differ; please enter them again</translation>
    </message>
    <message>
        <source>正在连接服务器 %1 …</source>
        <translation>Connecting to the server %1 …</translation>
    </message>
    <message>
        <source>登记未完成：%1</source>
        <translation>Enrolment not completed: %1</translation>
    </message>
    <message>
        <source>无法连接服务器 %1。请检查网线或无线网络、服务器是否在运行，然后点“登记”重试。（%2）</source>
        <translation>Cannot reach the server %1. Check the network cable or Wi-Fi and that the server is running, then tap Enrol again. (%2)</translation>
    </message>
    <message>
        <source>服务器 %1 的证书与登记码中的不符：可能连到了别的服务器，或服务器证书已更换。本机未登记。请向考务办公室核实，并扫描新的登记码。</source>
        <translation>The server %1 presented a different certificate from the one in the enrolment code: this may be another server, or the server&apos;s certificate was replaced. This kiosk is not enrolled. Check with the exam office and scan a new enrolment code.</translation>
    </message>
    <message>
        <source>服务器不认识这个登记码：它可能已作废，或属于另一台服务器。请考务办公室为本机重新登记，然后扫描新的登记码。</source>
        <translation>The server does not know this enrolment code: it may have been withdrawn, or belong to another server. Ask the exam office to enrol this kiosk again, then scan the new code.</translation>
    </message>
    <message>
        <source>这台终端已被考务办公室注销，它的登记码不能再用。请考务办公室为本机重新登记，然后扫描新的登记码。</source>
        <translation>The exam office has revoked this kiosk; its enrolment code can no longer be used. Ask the exam office to enrol this kiosk again, then scan the new code.</translation>
    </message>
    <message>
        <source>这个登记码已在另一台考场终端上使用过，不能再用于本机。请考务办公室为本机重新登记，然后扫描新的登记码。</source>
        <translation>This enrolment code has already been used on another kiosk and cannot enrol this one. Ask the exam office to enrol this kiosk again, then scan the new code.</translation>
    </message>
    <message>
        <source>服务器的签名密钥与登记码中的不符，本机未登记。请向考务办公室核实，并扫描新的登记码。</source>
        <translation>The server&apos;s signing key is not the one in the enrolment code. This kiosk is not enrolled. Check with the exam office and scan a new enrolment code.</translation>
    </message>
    <message>
        <source>服务器未能完成登记（%1）。请稍后点“登记”重试。</source>
        <translation>The server could not complete the enrolment (%1). Please tap Enrol again in a moment.</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::KioskServices</name>
    <message>
        <source>请先解锁本机</source>
        <translation>Unlock the kiosk first</translation>
    </message>
    <message>
        <source>这不是考点场次数据包</source>
        <translation>This is not an exam-site session package</translation>
    </message>
    <message>
        <source>数据包的签名密钥（指纹 %1）不是指定信任的密钥</source>
        <translation>The package&apos;s signing key (fingerprint %1) is not the trusted key</translation>
    </message>
    <message>
        <source>首次配置须用 --trust-key 指定信任的服务器密钥指纹（%1）</source>
        <translation>The first provisioning needs --trust-key with the server key fingerprint (%1)</translation>
    </message>
    <message>
        <source>须用 --kiosk-id 指定本机编号</source>
        <translation>Give this kiosk&apos;s id with --kiosk-id</translation>
    </message>
    <message>
        <source>登记本机须设置监考 PIN</source>
        <translation>Enrolling this kiosk needs a proctor PIN</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::ProctorViewModel</name>
    <message>
        <source>名单中没有这位考生</source>
        <translation>This candidate is not on the roster</translation>
    </message>
    <message>
        <source>手工签到须填写原因（如：准考证遗失）</source>
        <translation>A check-in by hand needs a reason (e.g. ticket lost)</translation>
    </message>
    <message>
        <source>该考生已于 %1 签到</source>
        <translation>This candidate already checked in at %1</translation>
    </message>
    <message>
        <source>撤销签到须填写原因</source>
        <translation>Undoing a check-in needs a reason</translation>
    </message>
    <message>
        <source>该考生没有可撤销的签到</source>
        <translation>This candidate has no check-in to undo</translation>
    </message>
    <message>
        <source>考生须先签到才能标记迟到</source>
        <translation>The candidate must check in before being marked late</translation>
    </message>
    <message>
        <source>免考须填写原因</source>
        <translation>Excusing a candidate needs a reason</translation>
    </message>
    <message>
        <source>“其他”类情况须填写说明</source>
        <translation>An incident of type “Other” needs a note</translation>
    </message>
    <message>
        <source>只能为已参加考试的考生录入成绩</source>
        <translation>Results can only be recorded for candidates who sat the exam</translation>
    </message>
    <message>
        <source>分数须在 0–100 之间</source>
        <translation>The score must be between 0 and 100</translation>
    </message>
    <message>
        <source>请填写签字人姓名</source>
        <translation>Enter the name of the person signing</translation>
    </message>
    <message>
        <source>本场已结束签到</source>
        <translation>Check-in for this session has already been closed</translation>
    </message>
    <message>
        <source>%1 %2（计入）</source>
        <translation>%1 at %2 (counts)</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 at %2</translation>
    </message>
    <message>
        <source>%1（准考证 %2）签到 %3 次：%4</source>
        <translation>%1 (ticket %2) checked in %3 times: %4</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>本机已锁定，请先用考点口令解锁</source>
        <translation>The kiosk is locked; unlock it with the site passphrase first</translation>
    </message>
    <message>
        <source>本机未设置监考 PIN，请重新配置本机</source>
        <translation>No proctor PIN is set; provision the kiosk again</translation>
    </message>
    <message>
        <source>PIN 不正确，请重试</source>
        <translation>Wrong PIN, please try again</translation>
    </message>
    <message>
        <source>PIN 连续输错次数过多，已锁定至 %1</source>
        <translation>Too many wrong PINs: locked until %1</translation>
    </message>
    <message>
        <source>未公布</source>
        <translation>not published</translation>
    </message>
    <message>
        <source>%1：实际参加考试 %2 人，低于公布考试人数 %3 人的 30%</source>
        <translation>%1: %2 sat, below 30% of the published %3</translation>
    </message>
    <message>
        <source>%1：本场未公布考试人数，无法判断参考率</source>
        <translation>%1: no published candidate count; participation cannot be judged</translation>
    </message>
    <message>
        <source>违纪</source>
        <translation>Misconduct</translation>
    </message>
    <message>
        <source>设备故障</source>
        <translation>Equipment failure</translation>
    </message>
    <message>
        <source>身体不适</source>
        <translation>Illness</translation>
    </message>
    <message>
        <source>停电/断网</source>
        <translation>Power/network loss</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>请先输入监考 PIN</source>
        <translation>Enter the proctor PIN first</translation>
    </message>
    <message>
        <source>本机已锁定</source>
        <translation>The kiosk is locked</translation>
    </message>
    <message>
        <source>请先在名单中选择考生</source>
        <translation>Select a candidate in the roster first</translation>
    </message>
    <message>
        <source>已为 %1 手工签到</source>
        <translation>%1 checked in by hand</translation>
    </message>
    <message>
        <source>已撤销 %1 的签到</source>
        <translation>Check-in of %1 undone</translation>
    </message>
    <message>
        <source>已将 %1 标记为迟到</source>
        <translation>%1 marked late</translation>
    </message>
    <message>
        <source>已将 %1 标记为缺考</source>
        <translation>%1 marked absent</translation>
    </message>
    <message>
        <source>已将 %1 标记为免考</source>
        <translation>%1 marked excused</translation>
    </message>
    <message>
        <source>请选择情况类别</source>
        <translation>Choose an incident category</translation>
    </message>
    <message>
        <source>已记录 %1 的情况：%2</source>
        <translation>Incident recorded for %1: %2</translation>
    </message>
    <message>
        <source>分数须为 0–100 的整数，或留空</source>
        <translation>The score must be a whole number 0–100, or empty</translation>
    </message>
    <message>
        <source>已录入 %1 的成绩：%2</source>
        <translation>Result recorded for %1: %2</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Pass</translation>
    </message>
    <message>
        <source>未通过</source>
        <translation>Fail</translation>
    </message>
    <message>
        <source>没有可结束的场次</source>
        <translation>No session to close</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This kiosk</translation>
    </message>
    <message>
        <source>第 %1 考场</source>
        <translation>Room %1</translation>
    </message>
    <message>
        <source>%1：实到 %2 人 / 应到 %3 人（%4）</source>
        <translation>%1: sat %2 / expected %3 (%4)</translation>
    </message>
    <message>
        <source>全场次：本场考生都在本考场，实到 %1 人 / 公布考试人数 %2 人&#x3000;参考率 %3</source>
        <translation>Whole session (every candidate is in this room): sat %1 / published %2&#x3000;participation %3</translation>
    </message>
    <message>
        <source>共 %1 个考场，报名 %2 人</source>
        <translation>%1 rooms, %2 registered</translation>
    </message>
    <message>
        <source>其他考场的人数本机未知</source>
        <translation>other rooms unknown to this kiosk</translation>
    </message>
    <message>
        <source>全场次：公布考试人数 %1 人（%2）</source>
        <translation>Whole session: published %1 (%2)</translation>
    </message>
    <message>
        <source>公布考试人数是整个场次的。本场次的参考率和%1的 30% 规则，由服务器汇总所有考场的签到后判定；本机只签本考场。</source>
        <translation>The published count is for the whole session. The session&apos;s participation rate and the 30% rule of %1 are judged by the server over the check-ins of every room; this kiosk signs off its own room only.</translation>
    </message>
    <message>
        <source>本场已于 %1 结束签到，由 %2 签字确认</source>
        <translation>Session closed at %1, signed by %2</translation>
    </message>
    <message>
        <source>本场已结束签到，由 %1 签字确认。%2；%3</source>
        <translation>Session closed, signed by %1. %2; %3</translation>
    </message>
    <message>
        <source>M月d日</source>
        <translation>d MMM</translation>
    </message>
    <message>
        <source>第七条(五)</source>
        <translation>Article 7(5)</translation>
    </message>
    <message>
        <source>M月d日 HH:mm</source>
        <translation>d MMM HH:mm</translation>
    </message>
    <message>
        <source>无法核对监考 PIN：%1</source>
        <translation>Cannot check the proctor PIN: %1</translation>
    </message>
    <message>
        <source>请先点选您的姓名</source>
        <translation>Tap your name first</translation>
    </message>
    <message>
        <source>PIN 须为 4–12 位数字</source>
        <translation>The PIN must be 4–12 digits</translation>
    </message>
    <message>
        <source>请再输入一次新的 PIN</source>
        <translation>Enter the new PIN again</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一致，请重新设置</source>
        <translation>The two PINs differ: set it again</translation>
    </message>
    <message>
        <source>无法设置 PIN：%1</source>
        <translation>Could not set the PIN: %1</translation>
    </message>
    <message>
        <source>本场已签字确认结束签到；如需更改，请先重新开放</source>
        <translation>This session is signed off: reopen it to change anything</translation>
    </message>
    <message>
        <source>本场尚未签字确认，无需重新开放</source>
        <translation>This session is not signed off: nothing to reopen</translation>
    </message>
    <message>
        <source>重新开放须选择原因</source>
        <translation>Choose a reason to reopen</translation>
    </message>
    <message>
        <source>请选择签字的监考</source>
        <translation>Choose who signs</translation>
    </message>
    <message>
        <source>签字过早，考生仍在入场</source>
        <translation>Signed too early: candidates still arriving</translation>
    </message>
    <message>
        <source>签到记录有误，需更正</source>
        <translation>A check-in record needs correcting</translation>
    </message>
    <message>
        <source>误点结束签到</source>
        <translation>Closed by mistake</translation>
    </message>
    <message>
        <source>没有可重新开放的场次</source>
        <translation>No session to reopen</translation>
    </message>
    <message>
        <source>本场已重新开放签到：%1</source>
        <translation>Check-in reopened: %1</translation>
    </message>
    <message>
        <source>已记录考场情况：%1</source>
        <translation>Room incident recorded: %1</translation>
    </message>
    <message>
        <source>没有可记录的场次</source>
        <translation>No session to record for</translation>
    </message>
    <message>
        <source>%1　%2</source>
        <translation>%1  %2</translation>
    </message>
    <message>
        <source>%1　%2：%3</source>
        <translation>%1  %2: %3</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::RosterModel</name>
    <message>
        <source>迟到 %1</source>
        <translation>Late %1</translation>
    </message>
    <message>
        <source>已签到 %1</source>
        <translation>In %1</translation>
    </message>
    <message>
        <source>缺考</source>
        <translation>Absent</translation>
    </message>
    <message>
        <source>免考</source>
        <translation>Excused</translation>
    </message>
    <message>
        <source>未签到</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>通过</source>
        <translation>Pass</translation>
    </message>
    <message>
        <source>未通过</source>
        <translation>Fail</translation>
    </message>
    <message>
        <source>请假：%1</source>
        <translation>Excused in advance: %1</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::SyncClient</name>
    <message>
        <source>这份场次数据包没有版本号（旧版服务器制作），比本机现有的（%1 制作）旧：已拒绝，本机继续使用现有数据包。请向考务办公室索取最新的数据包</source>
        <translation>This session package has no version (an older server made it), so it is older than the one this kiosk holds (made %1): refused; the kiosk keeps its package. Ask the exam office for the latest package</translation>
    </message>
    <message>
        <source>这份场次数据包比本机现有的旧（它是 %1 考试日、%2 制作的，本机现有的是 %3 考试日、%4 制作的），可能是过期的副本：已拒绝，本机继续使用现有数据包。请向考务办公室索取最新的数据包</source>
        <translation>This session package is older than the one this kiosk holds (it is for the exam day %1, made %2; the kiosk&apos;s is for %3, made %4), perhaps a stale copy: refused; the kiosk keeps its package. Ask the exam office for the latest package</translation>
    </message>
    <message>
        <source>M月d日 HH:mm</source>
        <translation>d MMM HH:mm</translation>
    </message>
    <message>
        <source>M月d日</source>
        <translation>d MMM</translation>
    </message>
</context>
<context>
    <name>kaodian::kiosk::UnlockViewModel</name>
    <message>
        <source>内部错误：没有可用的数据存储</source>
        <translation>Internal error: no data store</translation>
    </message>
    <message>
        <source>请输入考点口令</source>
        <translation>Enter the site passphrase</translation>
    </message>
    <message>
        <source>本机尚未配置考点数据（%1），请用 --provision 导入场次数据包</source>
        <translation>This kiosk has no data yet (%1); provision it with --provision</translation>
    </message>
</context>
</TS>
