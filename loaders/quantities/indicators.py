"""Indicator names read off the words around a number, split lists, canonical keys.

The name is what a reader would write in a table header (食品安全抽检合格率); the key is the
same name stripped of what differs between plans (regions, years, 全市, quotes), so the
same indicator in two plans becomes one ms:Indicator concept.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LEAD = re.compile(
    r"^(?:[(（]?\d{1,2}[)）.、．：:]\s*|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、．]|同比|环比|较上年|比上年|较去年|比去年|包括|包含|[一二三四五六七八九十]+是|其中|同时|另外|此外|并|且|和|与|、|\s)+"
)
_TIME = re.compile(
    r"(?:到|至|截至|截止|在|于|自)?(?<![A-Za-z\d])(?:20\d\d\s*年?\s*[-—–一至到]\s*)?20\d\d\s*(?:年|(?=[为达]))(?:第?[一二三四]季度|上半年|下半年|\d{1,2}\s*月(?:\d{1,2}\s*日)?|中旬|上旬|下旬|底|末|初|前|之前|以来|起)*"
    r"|[(（]\s*(?:19|20)\d\d\s*年?\s*[-—–至~]\s*(?:19|20)\d\d\s*年?[)）]"
    r"|“?十[一二三四五]五”?(?:期间|时期|末|以来)?|年内|年底前?|今年|全年|目前|截至目前|以来|预计|将|每年的?"
    r"|去年|过去的?|[一二三四五六七八九十]年(?:间|来)|上半年|下半年|前三季度|(?<![\u4e00-\u9fff])第?[一二三四]季度"
)
# Who acted and through what (市场监管部门通过12315平台, 我局依托…系统): not part of what was counted.
_MEANS_LEAD = re.compile(r"^[^，,。；;通依借]{0,12}?(?:通过|依托|借助|利用)[^，,。；;]{1,18}?(?:平台|系统|热线|渠道|网站|小程序)"
                         # 12345热线转办的消费投诉, 12315平台受理的投诉: the channel, not the measure
                         r"|^[^，,。；;的]{0,12}?(?:平台|系统|热线|渠道|网站)(?:转办|受理|接收|登记|交办|派发|推送)的(?=[\u4e00-\u9fff]{2})")
_SCOPE = re.compile(r"^(?:全市|全区|全县|全省|全国|我市|我区|我县|我省|本市|本区|全系统|全行业)")
# The agency that acted (黑龙江省市场监督管理局支出预算…, 全国市场监管部门共查处…): the actor, not the measure.
_AGENCY_LEAD = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:市场监督管理局|市场监管局|(?:各级)?市场监管部门)(?=[\u4e00-\u9fff“]{2})")
_VERB_LEAD = re.compile(
    r"^(?:我们|我局|我市|我区|我省|该局|本局|该市|该区|该县|该省|对(?![外象接比标应口照话])|实现|确保|力争|争取|推动|推进|累计|共计|共|已经|已|完成|进一步|努力|基本|要|使(?!用)|让|把|将|保持|达到|达|有|开展|组织|建成|"
    r"选派|明确|配备|建设|建立|设立|成立|培育|选择|引导|督促|鼓励|打造|收录|联合|聚焦|为|(?:设定|确定|提出)?目标(?:为|是))+(?![率及])"
)
_TRAIL = re.compile(
    r"(?:(?<![平人年])均|都|全部|分别|也|已|稳步|进一步|将|要|连续|持续|始终|同比|环比)?(?:[≥≤><＞＜=＝]|达到并超过|压缩至|压缩到|缩短至|缩短到|降至|降低到|降低至|达到了|达到|提高到|提高至|提升至|提升到|上升到|上升|增长到|增长|"
    r"下降到|下降|稳定在|保持在|保持|控制在|不低于|不少于|不高于|不超过|超过|突破|高于|低于|大于|小于|至少|达|为|是|有|在|约|近|逾|"
    r"共计|共|累计|只有|仅|的|由|从|由原来的|分别由|分别从|争取|力争|确保|努力|最高|最低|最多|最少|原则上)$"
)
_PER_POP_TAIL = re.compile(r"(?<=.{2})每?(?:百万|十万|万|千)人口?(?:数)?$")
_HEAD = re.compile(r"(?:率|量|度|数|额|比例|比重|占比|指数|满意度|覆盖面|人数|金额|资金|时间|时限|经费|排名|费|费用|收入|支出|预算|款)$")
_LIST_MARKS = "、和及与"


def _strip_brackets_balance(text: str) -> str:
    return text.strip(" ，,；;:：\t\u3000")


# What `clean_phrase` cuts from a phrase, in this order, until nothing changes.
_PHRASE_CUTS = (
    _LEAD, _MEANS_LEAD, _SCOPE, _AGENCY_LEAD, _VERB_LEAD, _TRAIL,
    re.compile(r"(?:与|同)[^，,。；;]{0,10}相比$"),  # 与“十三五”相比
    _PER_POP_TAIL,
    re.compile(r"连续[一二三四五六七八九十\d]+年$"),  # 合格率连续五年保持在
    re.compile(r"(?:分别)?(?:在|按)(?:照)?原(?:有|来)?[^，,。；;]{0,8}(?:基础上|标准)"),  # 按原标准降低
    re.compile(r"^[\u4e00-\u9fff]{0,8}指标\s*[(（]\d{1,2}[)）]\s*(?=[\u4e00-\u9fff“]{2})"),
    re.compile(r"各(?:类|项|种)(?=[\u4e00-\u9fff]{2})"),  # 查办各类违法案件
    re.compile(r"[“\"]?[一二两三四五六七八九十]+个$"),  # 认领率、使用率“三个100%”
)


@lru_cache(maxsize=8192)
def clean_phrase(text: str, region_names: tuple[str, ...] = ()) -> str:
    """Words before a number, minus the time, scope, verb and comparator words around the name."""
    phrase = _TIME.sub("", text)
    for name in region_names:
        if name:
            phrase = phrase.replace(name, "")
    return _trimmed(phrase.replace("XX市", "").replace("XX", ""))


@lru_cache(maxsize=8192)
def _trimmed(phrase: str) -> str:
    """`clean_phrase` after the time and place words: cached on its own, since the same words
    come back with other region names (and without any, as `clean_phrase(text)`)."""
    previous = None
    while previous != phrase:
        previous = phrase
        for cut in _PHRASE_CUTS:
            phrase = cut.sub("", phrase)
        phrase = _strip_brackets_balance(phrase.replace("()", "").replace("（）", "").lstrip("的"))
    return phrase


_GROWTH = re.compile(r"(?:较[^，,。；;]{0,8}?|比[^，,。；;]{0,8}?|同比|环比)?(?:年均|年平均)?(增长|提高|提升|上升|下降|减少|增加|降低|下调|上调)$")


def growth_name(phrase: str, subject: str, unit: str | None = None) -> str | None:
    """年均增长12.8% after 市场主体…: the growth rate (or, in 百分点, the change) of the indicator just named."""
    m = _GROWTH.search(phrase.strip())
    if not m or not subject:
        return None
    base = re.sub(r"(?:较|比)?(?:年均|年平均)?(?:同比|环比)?(?:增长|提高|提升|下降|减少|增加|降低|下调|上调)率?$", "",
                  re.sub(r"数$", "", subject))
    yearly = "年均" if re.search(r"年均|年平均", phrase) else "同比" if "同比" in phrase else "环比" if "环比" in phrase else ""
    return f"{base}{yearly}{m.group(1)}{_CHANGE_SUFFIX.get((unit or '%').split('/')[0], '')}"


# A change in percent is a rate (增长率), in points a 幅度, in money an amount (减少额); in a count
# or a time (同比增加3.2件, 比上年减少1.6个工作日) the change itself is the name.
_CHANGE_SUFFIX = {"%": "率", "百分点": "幅度", "元": "额"}


_TIME_LIMIT_WORDS = re.compile(r"最慢|最快|最长|最短|最多|压缩至|压缩到|缩短至|缩短到|控制在|时限由?|时间由?")
_LIMIT_VERB = re.compile(r"^(?:内|之内|以内)?(办结|完成|完结|办理|回应|答复|响应|处置|到场|办妥|出证|审结|办完|处理|受理|反馈|核查|整改|修复|退款|赔付)")


def time_limit_name(name: str, after: str) -> str:
    """其他准营事项1天办结 → 其他准营事项办结时间: a time limit names what must be done in it."""
    named = re.sub(r"(?:最慢|最快|最长|最短|最多|压缩至|压缩到|缩短至|缩短到|控制在)+$", "", name)
    if re.search(r"(?:时间|时限|周期|期限)$", named):
        return named  # 审批时限压缩至5个工作日: the name already says what is limited
    base = re.sub(r"^(?:对|发现的|凡|凡是)|(?:应当|必须|须|应|要|均|一律)(?:在)?$", "", _TIME_LIMIT_WORDS.sub("", name))
    if re.search(r"(?:时间|时限|周期|期限)$", base):
        return base
    verb = _LIMIT_VERB.match(after)
    return f"{base}{verb.group(1) if verb else ''}时间" if base or verb else ""


_RANK_WORDS = re.compile(r"保持|位列|位居|位于|名列|排名|居|(?:全国|全省|全市|全区)|前$|第$")


def rank_name(name: str, scope_text: str, subject: str | None) -> str:
    """位列全省第一 after 满意度84.39分 → 满意度全省排名."""
    base = _RANK_WORDS.sub("", name).strip()
    if len(base) < 2 and subject:
        base = re.sub(r"数$", "", subject)
    scope = re.search(r"全国|全省|全市|全区", scope_text)
    return f"{base}{scope.group() if scope else ''}排名"


# A rate or sum named by its head alone (覆盖率, 完成率, 罚没款) takes its subject from the clause before.
BARE_HEAD = re.compile(r"^(?:[\u4e00-\u9fff]{0,2}(?:率|罚没款|罚款|罚款金额|罚没金额)|金额|不合格)$")
_SUBJECT_VERB = re.compile(r"纳入|开展|实施|完成|推进|推广应用|推广|组织|建立|建成|加强|强化|深化|落实|执行|进行|开通|接入|覆盖|围绕|针对|对")


def subject_of(clause: str, region_names: tuple[str, ...] = ()) -> str:
    """The thing a clause is about once its verbs are gone: 全部纳入电梯应急处置平台 → 电梯应急处置平台."""
    phrase = clean_phrase(clause, region_names)
    if not phrase or re.search(r"(?<!\d)\d{1,4}(?!\d)|[%％]", phrase):  # a figure, not a hotline (96333)
        return ""
    subject = _SUBJECT_VERB.split(phrase)[-1].strip("的 ")
    return subject if 2 <= len(subject) <= 16 else ""


def name_after(right: str) -> str:
    """The noun the number counts when it comes first (106项涉企行政许可事项…)."""
    right = re.sub(r"^[%％\s]+", "", right)
    m = re.match(r"[^，,。；;、：:（(]{1,24}", right)
    words = m.group() if m else ""
    cut = re.search(r"(?:中的|中|之中|里的|[和及与、])?\d", words)
    if cut and not re.search(r"\d[^的]{0,4}的", words[cut.start():]) and len(re.findall(r"[\u4e00-\u9fff]", words[:cut.start()])) >= 2:
        words = words[:cut.start()]  # 226项…前置审批中的87%改为…: the words of the next figure are not this noun
    return words.strip().lstrip("的")


# The head a table writes after a count, by its unit (抽检批次, 培训次数, 检查户次, 设备数量, 奖励金额).
_HEAD_BY_UNIT = {"批次": "批次", "次": "次数", "户次": "户次", "家次": "家次", "人次": "人次", "台": "数量", "元": "金额"}
_MONEY_HEAD = re.compile(r"(?:金额|款|资金|经费|产值|损失|收入|支出|预算|费|费用|成本|价格|总额|拨款|结余|结转|额|额度)$")


_REACH_VERB = re.compile(r"(?:惠及|覆盖|服务|帮扶|受益|带动|涉及)$")


_ASIDE = re.compile(r"[（(](?:包括|含|如|即|主要是)[^（()）]*[）)]")


def shorten(name: str) -> str:
    """A long name keeps its head: asides (包括…) go, and a list of examples ends at 等 / 领域."""
    name = _ASIDE.sub("", name)
    for marker in ("等", "领域"):
        if len(name) > 16 and marker in name:
            tail = name.rsplit(marker, 1)[1]
            if len(tail) >= 3:
                name = tail
    return name


def with_head(name: str, unit: str | None) -> str:
    """A count gets its head (企业 → 企业数, 抽检 → 抽检批次) so the name reads as an indicator."""
    if not name:
        return name
    name = shorten(name.replace("《", "").replace("》", ""))  # 核发《食品经营许可证》: a table header has no book marks
    base_unit = (unit or "").split("/")[0]
    if base_unit == "元":
        return name if _MONEY_HEAD.search(name) or "/" in (unit or "") else name + "金额"
    if "/" in (unit or "") and re.search(r"(?:抽检|检验|检测|监测)$", name):
        return name + "量"  # 食品抽检4批次/千人: a rate of sampling, 食品抽检量
    if _HEAD.search(name) or base_unit in ("%", "百分点", "分"):
        return name
    if base_unit == "人" and re.search(r"(?:带动|吸纳|解决|新增|安置)就业$", name):
        return name + "人数"  # 带动就业1200万人
    if base_unit in ("户", "家", "人") and _REACH_VERB.search(name):
        return name + ("户数" if base_unit == "户" else "企业数" if base_unit == "家" else "人数")  # 惠及1.2万户
    if base_unit in _HEAD_BY_UNIT:
        head = _HEAD_BY_UNIT[base_unit]
        return name if name.endswith(head) else name + head
    return name + "数"


def split_shared(phrase: str) -> list[str] | None:
    """'A率、B率和C率' → [A率, B率, C率] when at least two items name indicators; else None.

    Lists of objects sharing one indicator (国际、国家、行业标准) stay whole.
    """
    if not any(mark in phrase for mark in _LIST_MARKS):
        return None  # one item: no list (the common case, checked without the loop below)
    items, depth, current = [], 0, ""
    for ch in phrase:
        if ch in "（(“《":
            depth += 1
        elif ch in "）)”》":
            depth = max(0, depth - 1)
        if depth == 0 and ch in _LIST_MARKS:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    items = [item.strip() for item in items if item.strip()]
    heads = [item for item in items if re.search(r"(?:率|量|度|比例|费)$", item)]
    if len(items) >= 2 and len(heads) >= 2:
        return items
    # 专利授权、专利拥有量年平均增长率: the rate after 量 is shared by every item
    shared_tail = re.match(r"(.+?量)(\S*(?:增长率|增速|增幅))$", items[-1]) if len(items) >= 2 else None
    if shared_tail and all(len(item) <= 8 and not _HEAD.search(item) and item[:2] == items[-1][:2]
                           for item in items[:-1]):
        tail = shared_tail.group(2)
        return [f"{item}量{tail}" for item in items[:-1]] + [items[-1]]
    # 特种设备使用单位、食品生产企业的抽查比例: kinds of entity sharing one rate, each gets its own
    owned = re.fullmatch(r"(.+?)的([^的]{1,10}(?:率|比例|占比))", items[-1]) if len(items) >= 2 else None
    if owned and all(len(item) <= 12 and _ENTITY_END.search(item) for item in (*items[:-1], owned.group(1))):
        tail = owned.group(2)
        return [f"{item}{tail}" for item in (*items[:-1], owned.group(1))]
    return None


_ENTITY_END = re.compile(r"(?:单位|企业|主体|机构|市场|场所|商户|门店|食堂|经营者|经营户|个体户|工商户|医院|药店|学校)$")


_KEY_DROP = re.compile(
    r"20\d\d年?|“?十[一二三四五]五”?|全市|全区|全县|全省|全国|我市|我区|本市|XX市|XX|[“”\"'‘’《》\s]"
)


# Synonyms plans use for one measure (检验量 and 抽检量 count the same sampled batches).
_KEY_SYNONYMS = [
    (re.compile(r"(?:抽样检验|监督抽检|抽样检测|检验|抽检|抽查)量"), "抽检量"),
    (re.compile(r"安全(?=抽检|抽样|监督抽检)"), ""),
    (re.compile(r"(?:农产品和|和农产品|食用农产品和)(?=食品)|(?<=食品)(?:和农产品|和食用农产品)"), ""),
    (re.compile(r"报告书"), "报告数"),
    (re.compile(r"不良事件报告数|不良反应报告数"), "不良反应报告数"),
]


def indicator_key(name: str, region_names: tuple[str, ...] = ()) -> str:
    """Canonical key: 每万人口 → 每万人, region and year words dropped, synonyms unified."""
    key = name
    for region in region_names:
        if region:
            key = key.replace(region, "")
    key = _KEY_DROP.sub("", key)
    key = key.replace("人口", "人").replace("（", "(").replace("）", ")")
    for pattern, replacement in _KEY_SYNONYMS:
        key = pattern.sub(replacement, key)
    key = re.sub(r"^(?:上报|收集|新增上报)", "", key).replace("数数", "数")
    return key or name
