"""Policy area of an indicator (GUIDELINES area codes), by keyword, most specific first."""

from __future__ import annotations

import re
from functools import lru_cache

# Order matters: the first area whose keywords occur wins, so narrow domains come before
# the broad ones (案件 is law enforcement only when no domain names the case).
AREA_KEYWORDS: list[tuple[str, str]] = [
    ("food_safety", r"食品|食用农产品|农产品|餐饮|明厨亮灶|食堂|农贸市场|农批市场|食源性|包保|小作坊|三小|食链|"
                    r"供餐|食用|保健食品|特殊食品|肉|蔬菜|水产品|粮油|快检|农兽药|农药残留|兽药残留"),
    ("cosmetics", r"化妆品(?!医疗器械)"),
    ("medical_device", r"医疗器械|器械"),
    ("drug", r"药品|药械|疫苗|两品一械|药化械|药店|药物|医药|中药"),
    ("special_equipment", r"特种设备|电梯|锅炉|气瓶|压力容器|起重机械|游乐设施|96333|(?<!医疗)(?<!检测)(?<!生产)设备"),
    ("intellectual_property", r"专利|商标|知识产权|地理标志|地标"),
    ("competition", r"公平竞争|垄断|不正当竞争|传销|直销|虚假宣传|仿冒混淆|有奖销售|商业贿赂|商业秘密|排除、限制竞争|竞争"),
    ("price", r"价格|收费|明码标价"),
    ("advertising", r"广告"),
    ("product_quality", r"工业产品|产品质量|消费品|缺陷产品|召回|产品伤害|质量安全|产品.*抽查|生产许可"),
    ("quality_infrastructure", r"标准|计量|认证|检验检测|检测|质量奖|品牌|名牌|质量标杆|质量强|检定|质量工作|质量提升|"
                               r"实验室|质量管理|检验|售后服务|NQI|中检|资质认定"),
    ("network_market", r"网络|网店|网站|电商|电子商务|直播|平台经济|网络交易"),
    ("consumer_protection", r"消费|投诉|举报|维权|退货|挽回经济损失|合同"),
    ("credit_supervision", r"双随机|经营异常|失信|信用(?!贷)|年报|信息归集|归集|抽查比例|抽查率|抽查任务|公示|联合抽查|随机抽查|抽查占比"),
    ("smart_supervision", r"智慧|互联网\+监管|信息化|数据|一体化|系统建设"),
    ("market_entry", r"市场主体|企业登记|登记|注册|开办|注销|吊销|许可|证照|个体工商户|个体户|个转企|准营|惠企|小微企业|"
                     r"营商|审批|民营企业|国有企业|外资企业|新增企业|一站式服务"),
    ("law_enforcement", r"执法|法制|法治|行政处罚|处罚决定"),
]
# Words that say what was done, not in which field: such an indicator (罚没款, 立案, 培训)
# takes the area of the text around it, and only falls back to these when that names none.
GENERIC_KEYWORDS: list[tuple[str, str]] = [
    ("law_enforcement", r"案件|罚没|罚款|执法|法制审核|立案|查处|违法|法律法规|涉烟|约谈|制裁|"
                        r"行政复议|行政诉讼"),
    ("organisation", r"培训|人员|党|讲师|干部|课时|编制|科室|队伍|舆情|"
                     r"预算|财政拨款|拨款|支出|经费|结转|结余|资金|三公|公务用车|公用车|车辆|政府采购|绩效"),
    ("market_entry", r"企业|户数|经营主体"),
]
_COMPILED = [(code, re.compile(pattern)) for code, pattern in AREA_KEYWORDS]
_GENERIC = [(code, re.compile(pattern)) for code, pattern in GENERIC_KEYWORDS]
_ORDER = {code: i for i, (code, _) in enumerate(AREA_KEYWORDS)}


_ORGANISATION = re.compile(r"培训|课时|学时|讲师|党建|党组织|党员|编制|科室|\d+岁|年龄|内设机构|事业单位|在职人员|在编")
# Training of a field's own people (食品安全管理员, 电梯安全管理人员, 检验检测从业人员) belongs to that field.
_TRAINED_IN_FIELD = re.compile(r"^[^，,。；;]*?(?:管理员|管理人员|从业人员|作业人员|经营者|企业负责人)(?=[^，,。；;]*培训|培训)|"
                               r"(?<=培训)[^，,。；;]*?(?:管理员|管理人员|从业人员|作业人员|经营者|企业负责人)")
# The share of a kind of entity inspected at random (双随机): credit supervision, whatever their field.
_ENTITY_SPOT_CHECK = re.compile(r"(?:单位|企业|主体|经营者|商户|经营户|机构)的?(?:随机)?抽查(?:比例|率|占比)$")
_MONEY_HEAD = re.compile(r"(?:经费|预算|拨款|预算数|资金总额)$")
_EACH_SESSION = re.compile(r"\s*每(?:期|次|人|班)")  # 每期不少于3天: the clause goes on about a training
_STAFF_TRAINING = re.compile(r"(?:人员|干部|队伍)[^，,。；;]{0,6}培训|\d+岁|年龄")
# 在食品、消费品、特种设备等领域发布强制性国家标准: the list only scopes the indicator after it.
_SCOPE = re.compile(r"^.*等(?:重点)?(?:领域|行业|方面|产品)")


@lru_cache(maxsize=4096)
def _named(text: str) -> dict[str, tuple[int, int]]:
    """Fields the text names: code → (how often, where last)."""
    named = {}
    for code, pattern in _COMPILED:
        hits = [m.start() for m in pattern.finditer(text)]
        if hits:
            named[code] = (len(hits), hits[-1])
    return named


def _first(patterns, text: str) -> str | None:
    if patterns is _COMPILED:
        named = _named(text)
        return min(named, key=_ORDER.__getitem__) if named else None
    for code, pattern in patterns:
        if pattern.search(text):
            return code
    return None


def classify_area(indicator: str, *context: str) -> str:
    """Area named by the indicator; else by its surroundings, nearest first; else a generic area.

    `context` runs from near to far: the clause, the sentence, earlier sentences, the heading.
    """
    if _ORGANISATION.search(indicator):
        trained = _TRAINED_IN_FIELD.search(indicator)
        if not trained or len(_named(trained.group())) != 1:
            return "organisation"
        return next(iter(_named(trained.group())))  # 培训食品安全管理员: the field's people, not our staff
    if _ENTITY_SPOT_CHECK.search(indicator):
        return "credit_supervision"  # 特种设备使用单位抽查比例: the share of entities drawn at random
    scoped = _SCOPE.sub("", indicator)
    if len(scoped) >= 2:
        indicator = scoped
    near = context[1] if len(context) > 1 else ""
    clause = context[0] if context else ""
    staff = _STAFF_TRAINING.search(clause) or (_EACH_SESSION.match(clause) and _STAFF_TRAINING.search(near))
    if _MONEY_HEAD.search(indicator) and not _named(indicator):
        return "organisation"  # 安排专项经费86.5万元用于执法装备更新: a budget line, whatever it buys
    if staff and set(_named(near)) <= {"law_enforcement"}:
        return "organisation"  # 每年组织执法人员培训不少于4期，每期不少于3天: staff training
    generic = _first(_GENERIC, indicator)
    if generic == "law_enforcement" and (re.search(r"各类(?:违法|案件)", clause)
                                         or re.search(r"各类", near) and not _named(near)):
        return generic  # 共查处各类违法案件4.2万件，罚没款3.85亿元: cases of every field
    if len(_named(indicator)) < 3:
        found = _first(_COMPILED, indicator)
        if found:
            return found
    generic = _first(_GENERIC, indicator)
    for index, text in enumerate(context):
        if text:
            named = _named(text)
            if len(named) >= 3:
                continue  # a list across fields (食品、工业产品、药品、特种设备…) names none of them
            if named and index < 2:  # the clause and sentence: the most specific field they name
                return _first(_COMPILED, text)
            if named:  # earlier sentences: the field named nearest to the number
                return max(named.items(), key=lambda item: item[1][1])[0]
    if generic:
        return generic
    for text in context:
        if text:
            found = _first(_GENERIC, text)
            if found:
                return found
    return "other"


def title_area(title: str | None) -> str | None:
    """The one field a document's title names (特种设备安全隐患排查整治工作方案): the default of its figures."""
    named = _named(title or "")
    fields = [code for code in named if code not in ("consumer_protection", "smart_supervision")]
    return fields[0] if len(named) == 1 and fields else None
