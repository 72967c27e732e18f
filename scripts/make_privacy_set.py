"""Generate a labelled privacy set (fixed seed): government documents with personal data in
realistic places and hard negatives that look like it.

Kinds of documents: 低保/补贴/救助 公示 tables (markdown or space-separated, some masked),
通知 with contacts (office landlines and unit mailboxes are not leaks; the contact's mobile and
name are), news with official hotlines, USCI, 发文字号, 索引号, statistics and officials' names
(no leaks), personal sentences (an applicant with ID, phone, address, card, passport, plate).
Numbers are valid (GB 11643 checksum and real division, Luhn, allocated mobile segments) and
written in every surface form the recognizers must handle: plain, spaced, hyphenated, +86/0086,
full-width digits, broken across a line.

Names come from CLUENER2020 (dev) and addresses from the Chinese address-parsing corpus; both
have no licence for redistribution, so they are read from the shared data folder at generation
time and the generated set is never committed. The ``dev`` split draws from the first half of
the names and the address-parsing dev file, ``test`` from the second half and its test file.

    python scripts/make_privacy_set.py --split dev --seed 1 --out /tmp/privacy_dev.jsonl
    python scripts/make_privacy_set.py --split test --seed 2 --out /tmp/privacy_test.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from auditor.checks.privacy.numbers import divisions, id18_check_char, luhn_ok, mobile_prefixes, area_codes
from auditor.text.names import surnames
from shared_data import DATA, add_data_option

NER = DATA / "ner"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Doc:
    """Text built piece by piece; labelled pieces record their spans."""

    kind: str
    parts: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    negatives: list[tuple[int, int, str]] = field(default_factory=list)
    size: int = 0

    def add(self, text: str, label: str | None = None, negative: str | None = None) -> "Doc":
        if label:
            self.spans.append((self.size, self.size + len(text), label))
        if negative:
            self.negatives.append((self.size, self.size + len(text), negative))
        self.parts.append(text)
        self.size += len(text)
        return self

    def record(self, i: int) -> dict:
        return {"id": i, "kind": self.kind, "text": "".join(self.parts), "spans": self.spans,
                "negatives": self.negatives}


def _json_objects(path: Path):
    dec, s, i = json.JSONDecoder(), path.read_text(encoding="utf-8"), 0
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s):
            return
        obj, i = dec.raw_decode(s, i)
        yield obj


def load_names(split: str) -> list[str]:
    """Chinese names of CLUENER (2–4 Han characters starting with a Chinese surname): residents
    in 公示 lists; transliterated foreign and fictional names of the news corpus are left out."""
    single, compound = surnames()
    names = sorted({n for o in _json_objects(NER / "cluener2020" / "dev.json") for n in o["label"].get("name", {})
                    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n) and (n[0] in single or n[:2] in compound)})
    half = len(names) // 2
    return names[:half] if split == "dev" else names[half:]


def load_addresses(split: str) -> list[str]:
    """Addresses cut after their last house-level element that holds a digit."""
    out = []
    for block in (NER / "address_parsing" / f"{split}.txt").read_text(encoding="utf-8").split("\n\n"):
        chars, labels = [], []
        for line in block.splitlines():
            if " " in line:
                ch, lab = line.rsplit(" ", 1)
                chars.append(ch)
                labels.append(lab[2:] if lab != "O" else "O")
        end = 0
        for i, lab in enumerate(labels):
            if lab in ("houseno", "cellno", "floorno", "roomno"):
                end = i + 1
        text = "".join(chars[:end])
        if end and re.search(r"\d+(?:号|栋|幢|单元|室|楼|层|座)", text) and re.fullmatch(r"[\u4e00-\u9fff0-9\-#A-Za-z]+", text):
            out.append(text)
    return out


class Maker:
    def __init__(self, rng: random.Random, split: str):
        self.rng = rng
        self.names = load_names(split)
        self.addresses = load_addresses(split)
        self.codes = sorted(c for c, (first, last) in divisions().items() if last == 0 and not c.endswith("00"))
        self.prefixes = sorted(mobile_prefixes())
        self.areas = sorted(area_codes())
        single, _ = surnames()
        self.surnames = sorted(single)

    # --- values -----------------------------------------------------------------------------
    def id_number(self) -> str:
        r = self.rng
        first = f"{r.choice(self.codes)}{r.randint(1940, 2012)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 999):03d}"
        return first + id18_check_char(first)

    def id_typo(self) -> str:
        good = self.id_number()
        wrong = str((int(good[16]) + 1) % 10)
        return good[:16] + wrong + good[17]

    def mobile(self) -> str:
        return self.rng.choice(self.prefixes) + "".join(self.rng.choice("0123456789") for _ in range(8))

    def landline(self) -> str:
        area = self.rng.choice(self.areas)
        n = 8 if len(area) == 3 else self.rng.choice((7, 8))
        return f"{area}-{self.rng.randint(2, 9)}" + "".join(self.rng.choice("0123456789") for _ in range(n - 1))

    def card(self) -> str:
        r = self.rng
        length = r.choice((16, 19))
        body = "62" + r.choice(("2848", "2202", "1700", "2588", "1226", "2260", "1483")) + "".join(
            r.choice("0123456789") for _ in range(length - 7))
        return next(body + d for d in "0123456789" if luhn_ok(body + d))

    def name(self) -> str:
        return self.rng.choice(self.names)

    def masked_name(self) -> str:
        return self.rng.choice(self.surnames) + self.rng.choice(("*", "**", "某", "某某"))

    def address(self) -> str:
        return self.rng.choice(self.addresses)

    def village(self) -> str:
        return self.rng.choice(("幸福", "和平", "红星", "新华", "东风", "前进")) + self.rng.choice(("村", "社区")) + \
            self.rng.choice(("一组", "二组", "三组", ""))

    def email(self) -> str:
        user = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(self.rng.randint(4, 9)))
        return user + str(self.rng.randint(1, 999)) + "@" + self.rng.choice(("163.com", "qq.com", "126.com", "sina.com"))

    def passport(self) -> str:
        r = self.rng
        return r.choice(("E", "G")) + "".join(r.choice("0123456789") for _ in range(8))

    def plate(self) -> str:
        r = self.rng
        return r.choice("京津沪渝冀豫云辽鲁苏浙粤川") + r.choice("ABCDEFGH") + "".join(r.choice("0123456789") for _ in range(5))

    # --- surface forms ----------------------------------------------------------------------
    def surface(self, value: str, kind: str) -> str:
        r = self.rng
        form = r.choice(("plain", "plain", "spaced", "hyphen", "full", "break"))
        if kind == "mobile" and r.random() < 0.15:
            return r.choice(("+86 ", "+86", "0086-", "86-")) + value
        if form == "full":
            return value.translate(FULL)
        cuts = {"id_card": (6, 14), "mobile": (3, 7), "bank_card": (4, 8, 12, 16)}.get(kind)
        if not cuts or form == "plain" or "-" in value:
            return value
        sep = {"spaced": " ", "hyphen": "-", "break": "\n"}[form]
        if form == "break":
            cuts = (cuts[len(cuts) // 2],)
        pieces, last = [], 0
        for c in cuts:
            if c < len(value):
                pieces.append(value[last:c])
                last = c
        pieces.append(value[last:])
        return sep.join(pieces)

    # --- documents --------------------------------------------------------------------------
    def table(self) -> Doc:
        r = self.rng
        masked = r.random() < 0.2
        bars = r.random() < 0.6
        program = r.choice(("城乡最低生活保障", "困难群众临时救助", "耕地地力保护补贴", "特困人员供养", "高龄津贴"))
        d = Doc("table").add(f"关于{r.randint(2019, 2025)}年{program}对象的公示\n根据有关规定，现将审核结果公示如下：\n")
        cols = ["序号", "户主姓名", "身份证号", "联系电话", "家庭住址", "金额"]
        if r.random() < 0.3:
            cols[5] = "银行卡号"
        sep = " | " if bars else "  "
        d.add(("| " if bars else "") + sep.join(cols) + (" |" if bars else "") + "\n")
        if bars:
            d.add("|" + "---|" * len(cols) + "\n")
        for i in range(1, r.randint(3, 9)):
            cells: list[tuple[str, str | None]] = [(str(i), None)]
            if masked:
                idn = self.id_number()
                mob = self.mobile()
                cells += [(self.masked_name(), None), (idn[:6] + "*" * 8 + idn[-4:], None),
                          (mob[:3] + "****" + mob[-4:], None), (self.village(), None)]
            else:
                phone = self.mobile() if r.random() < 0.8 else self.landline()
                house = r.random() < 0.6
                cells += [(self.name(), "name"), (self.id_number(), "id_card"),
                          (phone, "mobile" if phone[0] == "1" else "landline"),
                          (self.address() if house else self.village(), "address" if house else None)]
            if cols[5] == "银行卡号" and not masked:
                cells.append((self.card(), "bank_card"))
            else:
                cells.append((f"{r.randint(2, 30) * 50}", None))
            d.add("| " if bars else "")
            for j, (value, label) in enumerate(cells):
                if j:
                    d.add(sep)
                d.add(value, label)
            d.add((" |" if bars else "") + "\n")
        d.add(f"公示期为7天。如有异议，请在公示期内向乡镇人民政府反映。监督电话：{self.landline()}。\n", negative="office")
        return d

    def notice(self) -> Doc:
        r = self.rng
        d = Doc("notice").add(r.choice(("关于开展2024年度统计执法检查的通知", "关于做好防汛工作的通知", "关于举办业务培训班的通知")))
        d.add(f"\n各乡镇人民政府、各有关部门：\n现将有关事项通知如下。请于{r.randint(1, 12)}月{r.randint(1, 28)}日前报送材料。\n")
        d.add("联系人：").add(self.name(), "name").add("，联系电话：")
        d.add(self.landline(), negative="office").add("，手机：")
        mob = self.mobile()
        d.add(self.surface(mob, "mobile"), "mobile").add("。\n")
        if r.random() < 0.5:
            d.add("电子邮箱：").add(self.email(), "email").add("。\n")
        else:
            d.add("电子邮箱：").add(f"bgs{r.randint(1, 99)}@{r.choice(('jinan', 'pinggu', 'hz'))}.gov.cn", negative="gov-email").add("\n")
        d.add("传真：").add(self.landline(), negative="fax").add("\n")
        d.add(f"{r.choice(('北京市平谷区', '济南市历城区'))}人民政府办公室\n{r.randint(2019, 2025)}年{r.randint(1, 12)}月{r.randint(1, 28)}日\n")
        return d

    def news(self) -> Doc:
        r = self.rng
        d = Doc("news")
        d.add(f"本报讯 {r.randint(1, 12)}月{r.randint(1, 28)}日，市长{self.name()}出席全市政务公开工作会议并讲话。")
        d.add("今年以来，全市累计办理群众诉求").add(self.mobile(), negative="statistic").add("件，")
        d.add(f"发放补贴资金").add(f"{r.randint(1000, 99999)}.{r.randint(10, 99)}", negative="statistic").add("万元。")
        d.add("市民可拨打政务服务便民热线").add("12345", negative="hotline").add("或咨询电话")
        d.add(self.landline(), negative="office").add("反映问题，投诉举报电话：").add(self.mobile(), negative="hotline-mobile")
        d.add("，服务热线").add(f"400-{r.randint(100, 999)}-{r.randint(1000, 9999)}", negative="400").add("。\n")
        d.add("文件依据《关于进一步加强政务公开工作的通知》（").add(f"京政办发〔{r.randint(2018, 2024)}〕{r.randint(1, 60)}号", negative="doc-number").add("）。")
        d.add("索引号：").add(f"{r.randint(10 ** 8, 10 ** 9 - 1):09d}/{r.randint(2018, 2024)}-{r.randint(1, 99999):05d}", negative="index").add("。")
        d.add("统一社会信用代码：").add(self._usci(), negative="usci").add("。")
        d.add("订单号：").add(str(r.randint(10 ** 17, 10 ** 19)), negative="order").add("。")
        d.add("邮政编码：").add(f"{r.randint(100000, 850000)}", negative="postcode").add("。")
        d.add(f"{r.choice(('京A级', '粤A级'))}景区名单同步公布，产品型号").add("E" + str(r.randint(10 ** 7, 10 ** 8 - 1)), negative="model").add("。\n")
        for _ in range(r.randint(1, 3)):
            d.add(self.rng.choice(self.news_sentences) + "\n")
        return d

    def personal(self) -> Doc:
        r = self.rng
        d = Doc("personal").add("经村民代表评议、乡镇审核，申请人")
        d.add(self.name(), "name").add("（身份证号：")
        idn = self.id_typo() if r.random() < 0.1 else self.id_number()
        d.add(self.surface(idn, "id_card"), "id_card").add("），家住")
        d.add(self.address(), "address").add("，联系电话")
        d.add(self.surface(self.mobile(), "mobile"), "mobile").add("，符合救助条件。")
        choice = r.randint(0, 3)
        if choice == 0:
            d.add("救助金发放至其社保卡，卡号").add(self.surface(self.card(), "bank_card"), "bank_card").add("。")
        elif choice == 1:
            d.add("其护照号码：").add(self.passport(), "passport").add("。")
        elif choice == 2:
            d.add("其名下车辆车牌号为").add(self.plate(), "plate").add("。")
        else:
            d.add("申请人邮箱：").add(self.email(), "email").add("。")
        d.add("\n")
        return d

    def _usci(self) -> str:
        from auditor.checks.privacy.numbers import USCI_CHARS, usci_ok

        body = "91" + self.rng.choice(self.codes) + "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        return next(body + c for c in USCI_CHARS if usci_ok(body + c))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "test"), required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--out", required=True)
    add_data_option(ap)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    maker = Maker(rng, args.split)
    sentences = [o["text"] for o in _json_objects(NER / "cluener2020" / "dev.json")]
    half = len(sentences) // 2
    maker.news_sentences = sentences[:half] if args.split == "dev" else sentences[half:]
    makers = (maker.table, maker.notice, maker.news, maker.personal)
    with open(args.out, "w", encoding="utf-8") as fh:
        for i in range(args.docs):
            fh.write(json.dumps(makers[i % len(makers)]().record(i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
