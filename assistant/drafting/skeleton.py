"""The common skeleton of a 公共服务 implementation plan, and the alignment of each template's
sections to it. Equivalent sections of different templates (金普新区 一（一）指导思想 and the
county plan's 一（一）指导思想) land on the same skeleton node and are listed once."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    title: str
    keywords: tuple[str, ...]
    subtopics: tuple["Topic", ...] = ()
    indicator_words: tuple[str, ...] = ()


def T(title, kw, sub=(), ind=()):
    return Topic(title, tuple(kw.split()), tuple(sub), tuple(ind.split()) if isinstance(ind, str) else tuple(ind))


# 主要任务 by domain. Keywords find template sentences; indicator words pick table rows.
DOMAINS: dict[str, Topic] = {
    "教育": T("教育", "教育", [
        T("学前教育", "学前教育 幼儿园 入园", [
            T("普惠性资源扩大与公办幼儿园建设", "普惠 公办幼儿园 多元办园 城镇小区配套幼儿园 中心幼儿园"),
            T("幼儿教师队伍建设", "幼儿教师 两教一保 名优教师 保育员"),
            T("经费投入与学前教育资助", "经费投入 生均拨款 资助 家庭经济困难儿童")], ind="学前 幼儿园"),
        T("义务教育", "义务教育", [
            T("优质均衡与城乡一体化", "优质均衡 城乡一体化 标准化建设 集团"),
            T("教师交流轮岗", "县管校聘 交流轮岗"),
            T("消除大班额", "大班额"),
            T("减负与课后服务", "作业公示 课后服务 课业负担"),
            T("随迁子女和留守儿童", "随迁子女 留守儿童")], ind="义务教育巩固率 义务教育基本均衡"),
        T("普通高中教育", "普通高中 高中", [
            T("普及攻坚与扩容", "普及攻坚 扩容"),
            T("多样化特色化发展", "多样化特色化 选课走班")], ind="高中"),
        T("职业教育", "职业教育 职业学校", [
            T("现代职业教育体系建设", "现代职业教育 职教"),
            T("产教融合与校企合作", "产教融合 校企合作 学徒制"),
            T("双师型教师队伍", "双师型")]),
        T("特殊教育", "特殊教育 残疾儿童 融合教育", [
            T("学位供给与普及", "学位供给 普及成果 非义务教育阶段"),
            T("质量提升", "办学质量评价 课程教材 教学改革"),
            T("融合教育", "融合教育 结对帮扶 融合办学 示范区"),
            T("保障机制", "保障机制 无障碍 资源中心 经费投入 师资培训")], ind="残疾儿童"),
        T("终身教育", "终身教育 终身学习 社区教育 老年教育 继续教育", [
            T("终身学习体系", "终身学习 学分银行 继续教育"),
            T("社区教育和老年教育", "社区教育 老年教育")]),
    ], ind=""),
    "医疗卫生": T("医疗卫生", "医疗 卫生 疾控 疫情", [
        T("疾病预防控制体系", "疾控 疾病预防控制 专职公共卫生医师 防治结合"),
        T("重大疾病防控机制", "重大疾病防控机制 三位一体 医联体"),
        T("重大疫情救治体系", "重大疫情救治 传染病救治 防控救治"),
    ]),
    "劳动就业创业": T("劳动就业创业", "就业 创业 职业培训 劳动", [
        T("公共就业服务", "公共就业服务 就业困难人员 零就业家庭 高校毕业生 就业见习"),
        T("创业服务", "创业就业公共服务体系 创业孵化"),
        T("职业培训", "职业技能培训 就业技能培训 政府补贴"),
        T("劳动关系协调和劳动权益保护", "劳动关系 劳动用工 劳动保障监察 工资支付"),
    ]),
    "社会保险": T("社会保险", "保险 养老金 医保", [
        T("养老保险", "养老保险 企业年金 缴费档次 养老金"),
        T("医疗保险", "医疗保险 医保"),
    ]),
    "社会服务与养老": T("社会服务与养老", "养老服务 养老床位 特困人员", [
        T("养老服务", "养老服务 养老机构 居家养老 社区养老")], ind="养老 特困"),
    "住房保障": T("住房保障", "住房保障 棚户区", [T("住房保障", "保障性住房 棚户区改造 公租房")], ind="住房"),
    "文化体育": T("文化体育", "公共文化 体育", [T("公共文化体育服务", "公共文化 全民健身 广播电视")], ind="广播 锻炼"),
    "残疾人基本公共服务": T("残疾人基本公共服务", "残疾人", [
        T("残疾人职业教育", "残疾人职业教育 残疾学生"),
        T("残疾人康复服务", "康复服务 残疾人康复"),
        T("困难残疾人生活补贴和重度残疾人护理补贴", "生活补贴 护理补贴"),
    ], ind="残疾人"),
}
ALIASES = {"养老服务": "社会服务与养老", "社会服务": "社会服务与养老", "残疾人服务": "残疾人基本公共服务",
           "就业": "劳动就业创业", "劳动就业": "劳动就业创业", "医疗": "医疗卫生", "卫生": "医疗卫生",
           "高中教育": "普通高中教育", "文化": "文化体育"}
# Which table group (基本公共教育 …) serves which domain.
TABLE_GROUPS = {"教育": "基本公共教育", "劳动就业创业": "基本劳动就业创业", "社会保险": "基本社会保险",
                "医疗卫生": "基本医疗卫生", "社会服务与养老": "基本社会服务", "住房保障": "基本住房保障",
                "文化体育": "基本公共文化体育", "残疾人基本公共服务": "残疾人基本公共服务"}
# Lead departments by domain: a department type, never a template's own office.
LEAD_DEPARTMENT = {"教育": "县教育主管部门", "医疗卫生": "县卫生健康主管部门", "劳动就业创业": "县人力资源和社会保障部门",
                   "社会保险": "县人力资源和社会保障部门", "社会服务与养老": "县民政部门", "住房保障": "县住房和城乡建设部门",
                   "文化体育": "县文化体育主管部门", "残疾人基本公共服务": "县残疾人联合会"}

GENERAL = {
    "指导思想": T("指导思想", "指导思想 习近平新时代中国特色社会主义思想 以人民为中心"),
    "基本原则": T("基本原则", "基本原则"),
    "主要目标": T("主要目标", "主要目标 总体目标 到"),
    "保障措施": T("保障措施", "保障措施 组织领导 经费保障 监督 评估 考核"),
}


def resolve_domain(name: str) -> tuple[str, Topic | None]:
    """('教育', topic) for a domain, or ('教育', 学前教育 topic) for a topic such as 学前教育."""
    name = ALIASES.get(name.strip(), name.strip())
    if name in DOMAINS:
        return name, DOMAINS[name]
    for dname, dom in DOMAINS.items():
        for t in dom.subtopics:
            if t.title == name or name in t.title or t.title in name:
                return dname, t
    return name, None


@dataclass
class Alignment:
    """skeleton key -> [(doc_id, heading_path)], one entry per template section."""
    nodes: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)


def section_key(path: tuple[str, ...]) -> list[str]:
    """Skeleton keys a template section maps to, from the words of its heading path."""
    text = " ".join(path)
    keys = []
    for key, topic in GENERAL.items():
        if topic.title in text or (key == "主要目标" and "总体目标" in text):
            keys.append(key)
    if "发展指标" in text:
        keys.append("指标表")
    if "专栏" in text or "重点项目" in text:
        keys.append("重点项目")
    if "责任单位" in text:
        keys.append("责任单位")
    for dname, dom in DOMAINS.items():
        for t in dom.subtopics:
            if path and any(k in path[-1] for k in t.keywords[:2]) or t.title in text:
                keys.append(f"{dname}/{t.title}")
    return keys


def align_templates(sections_by_doc: dict[str, list[tuple[str, ...]]]) -> Alignment:
    al = Alignment()
    for doc_id, paths in sections_by_doc.items():
        for path in paths:
            for key in section_key(path):
                al.nodes.setdefault(key, [])
                if (doc_id, path) not in al.nodes[key]:
                    al.nodes[key].append((doc_id, path))
    return al
