"""The PII rules: one per kind of personal data, plus masked values, partial masks and
tables of records. The engine decides the severity of each finding within its rule."""
from __future__ import annotations

from auditor.checks.base import Example, Rule
from auditor.types import Severity

_LAW = ("《个人信息保护法》第二十八条、第五十一条、第七十三条（去标识化）；《政府信息公开条例》（2019）第十五条；"
        "《2018年政务公开工作要点》“涉及个人隐私的政府信息，公开时要去标识化处理”")
_WHY = "公开页面上的个人信息可被任何人检索和下载；检查中“泄露个人隐私”属于严重问题，可能造成单项否决。"

ID_CARD = Rule(
    code="PII001", name="id-card-number", severity=Severity.BLOCKER,
    message="泄露居民身份证号码：应去标识化（保留前6位和后4位）",
    what="18 位居民身份证号码（GB 11643 校验码、行政区划代码、真实出生日期均通过）和 15 位旧号码，数字之间可有空格、连字符或换行，含全角数字。",
    why=_WHY, fix="按“前6后4”遮蔽，如 110101********1233；公示确需身份信息时只保留遮蔽形式。",
    source=_LAW + "；GB 11643-1999《公民身份号码》",
    bad=(Example("低保对象张某某，身份证号⟦110101199003071233⟧。", suggestion="110101********1233"),
         Example("身份证号：⟦３２０５８３ １９８５０６１２ ４４１４⟧"),
         Example("旧证号码⟦110105491231002⟧已作废。")),
    good=(Example("身份证号：110101********1233"), Example("统一社会信用代码：91110108MA0100000W"),
          Example("2023年全区共发放补贴110101199003元。")),
)
ID_SUSPECT = Rule(
    code="PII002", name="id-card-checksum-mismatch", severity=Severity.WARNING,
    message="疑似身份证号码（校验未通过，可能是录入错误），仍有泄露风险",
    what="形似 18 位身份证号码（出生日期真实，行政区划代码或校验码之一通过），但另一项校验未通过。",
    why="录错一位的身份证号码依然能识别出本人（地区、出生日期、性别），同样需要遮蔽。",
    fix="核对原始材料；公开时按“前6后4”遮蔽。",
    source=_LAW + "；GB 11643-1999 校验码（ISO 7064 MOD 11-2）",
    bad=(Example("申请人身份证号⟦110101199003071234⟧"),),
    good=(Example("申请人身份证号110101********1233已核实。"),
          Example("订单号：110101199003071234")),
)
MOBILE = Rule(
    code="PII003", name="mobile-phone-number", severity=Severity.BLOCKER,
    message="泄露个人手机号码：应遮蔽中间四位",
    what="11 位手机号码（已分配号段），可带 +86/0086、空格、连字符或全角数字。",
    why=_WHY, fix="按“3+4”遮蔽，如 138****5678；单位对外公开的服务热线不在此列。",
    source=_LAW,
    bad=(Example("户主王某，联系电话⟦13812345678⟧。", suggestion="138****5678"),
         Example("联系人：李明，手机⟦+86 138-1234-5678⟧")),
    good=(Example("监督电话：13812345678"), Example("联系电话：138****5678"),
          Example("全市累计接种13812345678人次。")),
)
LANDLINE = Rule(
    code="PII004", name="landline-phone-number", severity=Severity.BLOCKER,
    message="泄露个人固定电话号码",
    what="个人信息语境（公示名单、申请人信息等）中的固定电话：区号+7–8位号码，可带分机号。",
    why=_WHY, fix="遮蔽本地号码前几位，如 0351-****5678；单位的办公、咨询、监督电话和传真不在此列。",
    source=_LAW,
    bad=(Example("申请人：赵某，家庭电话⟦0351-2345678⟧"),),
    good=(Example("咨询电话：0351-2345678"), Example("区民政局联系电话：0351-2345678"), Example("服务热线400-123-4567")),
)
BANK_CARD = Rule(
    code="PII005", name="bank-card-number", severity=Severity.BLOCKER,
    message="泄露银行卡号：应只保留前6位和后4位",
    what="16–19 位银行卡号（Luhn 校验、发卡行前缀如银联 62、上下文“卡号/账号/开户”）。",
    why=_WHY + "银行卡号属于金融账户信息，是敏感个人信息。", fix="按“前6后4”遮蔽，如 622848*********0018。",
    source=_LAW + "（金融账户属敏感个人信息）",
    bad=(Example("补贴发放至社保卡，卡号⟦6228 4804 0256 4890 018⟧。", suggestion="6228 48** **** ***0 018"),),
    good=(Example("卡号622848*********0018"), Example("交易流水号：6228480402564890018")),
)
EMAIL = Rule(
    code="PII006", name="personal-email-address", severity=Severity.WARNING,
    message="公开了个人电子邮箱",
    what="个人电子邮箱地址；政府、教育、组织机构域名的单位邮箱不在此列。",
    why="个人邮箱可用于联系和识别本人，属于个人信息。", fix="删除或遮蔽用户名部分，如 z*******@163.com；对外联系请使用单位邮箱。",
    source=_LAW,
    bad=(Example("申请人邮箱：⟦zhangsan@163.com⟧"),),
    good=(Example("投稿邮箱：bangongshi@beijing.gov.cn"),),
)
PASSPORT = Rule(
    code="PII007", name="passport-number", severity=Severity.BLOCKER,
    message="泄露护照号码",
    what="中国普通护照号码（E+8位、E+字母+7位、旧版 G+8位），需有“护照”等上下文。",
    why=_WHY, fix="遮蔽中间字符，如 E****5678。", source=_LAW,
    bad=(Example("护照号码：⟦E12345678⟧"),),
    good=(Example("产品型号E12345678已停产。"),),
)
TRAVEL_PERMIT = Rule(
    code="PII008", name="travel-permit-number", severity=Severity.BLOCKER,
    message="泄露往来港澳通行证或来往内地通行证号码",
    what="往来港澳通行证（C+8位、C+字母+7位）和港澳居民来往内地通行证（H/M+10位）号码，需有证件上下文。",
    why=_WHY, fix="遮蔽中间字符。", source=_LAW,
    bad=(Example("往来港澳通行证号码：⟦C12345678⟧"), Example("回乡证号⟦H1234567801⟧")),
    good=(Example("型号C12345678的设备"),),
)
HMT_ID = Rule(
    code="PII009", name="hk-macau-taiwan-id-number", severity=Severity.BLOCKER,
    message="泄露港澳台居民身份证号码",
    what="香港身份证（A123456(3)，校验位）、澳门身份证（1234567(8)）、台湾身份证（A123456789，校验位）号码。",
    why=_WHY, fix="遮蔽中间字符。", source=_LAW,
    bad=(Example("香港居民陈某，身份证号码⟦A123456(3)⟧"), Example("台湾居民身份证⟦A123456789⟧")),
    good=(Example("编号A123456(4)"),),
)
PLATE = Rule(
    code="PII010", name="licence-plate-number", severity=Severity.WARNING,
    message="公开了机动车号牌号码",
    what="机动车号牌（省份简称+发牌机关字母+5位，新能源 6 位）。",
    why="车牌可关联到车主，属于可识别个人的信息；曝光、处罚类信息公开时通常部分遮蔽。",
    fix="遮蔽中间字符，如 京A***5。", source=_LAW,
    bad=(Example("车主驾驶⟦京A12345⟧号小型汽车"),),
    good=(Example("京A级景区名单"),),
)
ADDRESS = Rule(
    code="PII011", name="home-address", severity=Severity.BLOCKER,
    message="泄露个人住址（精确到门牌号）",
    what="个人信息语境中的住址（“家庭住址”“家住”、公示表住址列），精确到门牌号、楼栋、单元或房间号。",
    why=_WHY, fix="住址公开到村（社区）一级即可，删除或遮蔽门牌号、楼栋号、房间号。", source=_LAW,
    bad=(Example("申请人王某，家庭住址：⟦幸福路12号3栋201室⟧", suggestion="幸福路**号*栋***室"),),
    good=(Example("办公地址：幸福路12号"), Example("家庭住址：幸福镇幸福村三组")),
)
NAME = Rule(
    code="PII012", name="person-name-in-personal-data", severity=Severity.ERROR,
    message="个人信息语境中出现真实姓名（公示非必要时应以“张*”或“张某”代替）",
    what="个人信息语境中的姓名：“姓名/户主/申请人/联系人”等字段后、公示表姓名列、与身份证号或电话同一行的姓名。新闻中单独出现的人名不算。",
    why="姓名与其他信息结合即可识别特定个人；公示确需姓名时应只公开必要项。",
    fix="非必要不公开姓名；必要时写成“张*”或“张某”。", source=_LAW + "；新华社新闻报道禁用词规定（姓氏加“某”）",
    bad=(Example("户主姓名：⟦王秀英⟧", suggestion="王**"), Example("申请人⟦李建国⟧，身份证号110101********1233")),
    good=(Example("市长张三出席会议并讲话。"), Example("户主姓名：王**")),
)
MASKED = Rule(
    code="PII013", name="masked-personal-data", severity=Severity.INFO,
    message="个人信息已按规范遮蔽",
    what="已遮蔽的身份证号（出生日期已隐藏）、手机号（中间四位已隐藏）、银行卡号（仅显示前6后4以内）、姓名（张*、张某）。",
    why="记录已正确去标识化的信息，便于审核时确认。", fix="无需修改。", source=_LAW,
    bad=(Example("身份证号⟦110101********1233⟧，电话⟦138****5678⟧"), Example("户主：⟦张*⟧")),
    good=(Example("身份证号请见附件，联系电话见公告栏。"),),
)
PARTIAL = Rule(
    code="PII014", name="partially-masked-data", severity=Severity.ERROR,
    message="遮蔽不完整：仍显示应隐藏的部分",
    what="部分遮蔽但仍暴露应隐藏内容的号码：身份证号露出出生日期，手机号露出中间四位，银行卡号露出前6后4以外的数字。",
    why="露出出生日期的身份证号，与姓名结合仍能识别本人，未达到去标识化要求。",
    fix="身份证号遮蔽第7–14位（出生日期），手机号遮蔽第4–7位，银行卡号只保留前6后4。", source=_LAW,
    bad=(Example("身份证号⟦11010119900307****⟧", suggestion="110101************"),),
    good=(Example("身份证号110101********1233"),),
)
TABLE = Rule(
    code="PII015", name="personal-data-table", severity=Severity.BLOCKER,
    message="公示表中成批泄露个人信息（姓名与身份证号、电话或住址同行）",
    what="连续多行记录，每行都把姓名和身份证号、电话、银行卡或住址放在一起（低保、补贴、救助等公示名单）。",
    why="成批泄露是检查通报中最常见的隐私问题，应整体去标识化后再发布。",
    fix="删除不必要的列；必要的列统一遮蔽（身份证前6后4、电话3+4、姓名“张*”）。", source=_LAW,
    bad=(Example("| 序号 | 姓名 | 身份证号 |\n"
                 "⟦| 1 | 王秀英 | 110101199003071233 |\n| 2 | 李建国 | 320583198506124414 |⟧"),),
    good=(Example("| 序号 | 姓名 | 身份证号 |\n| 1 | 王* | 110101********1233 |\n| 2 | 李** | 320583********4414 |"),),
)

RULES = (ID_CARD, ID_SUSPECT, MOBILE, LANDLINE, BANK_CARD, EMAIL, PASSPORT, TRAVEL_PERMIT, HMT_ID, PLATE, ADDRESS,
         NAME, MASKED, PARTIAL, TABLE)
