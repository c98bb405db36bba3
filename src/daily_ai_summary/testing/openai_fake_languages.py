"""The OpenAI fake's sample answers in other languages (German and Japanese), written for this
project. ``SampleWriter`` uses them when the system prompt asks for one of these languages (the
``language`` prompt names the BCP 47 tag); any other language gets the English samples.

Each list is chosen from by the same hash as the English one; ``{topic}``, ``{source}``,
``{comments}``, ``{event}`` and ``{context}`` are filled in from the request.
"""

from __future__ import annotations

BENEFITS = {
    "de": [
        "Der Beitrag über {topic} auf {source} gibt Fachleuten ein konkretes Beispiel statt "
        "eines vagen Trends. Wenn sich der Ansatz bei unabhängigen Nachbauten bestätigt, können "
        "Teams mit ähnlichen Problemen ihn direkt übernehmen, weniger Zeit mit Versuch und "
        "Irrtum verbringen und ihre eigenen Messungen mit den dort genannten Zahlen vergleichen.",
        "Falls die Aussagen zu {topic} einer Prüfung standhalten, erhalten kleinere Labore und "
        "unabhängige Entwickler einen günstigeren Weg zu Ergebnissen, für die bisher große "
        "Budgets nötig waren. Weil die Diskussion auf {source} die Methode offenlegt, können "
        "andere sie auf eigene Daten übertragen, wie es die {comments} Kommentare bereits tun.",
    ],
    "ja": [
        "{source}での{topic}に関する議論は、漠然とした流行ではなく具体的な事例を実務者に示して"
        "います。他のチームが再現して同じ結果が得られれば、似た課題に取り組む開発者はこの手法を"
        "そのまま取り入れ、試行錯誤の時間を減らし、自分たちの測定値を共有された数値と比較できます。"
        "すでに{comments}件のコメントが寄せられ、読者が適用範囲を確かめ始めています。",
        "{topic}の主張が検証に耐えれば、小規模な研究室や個人の開発者も、これまで大きな予算が"
        "必要だった成果に安価にたどり着けるようになります。{source}での議論が手法を公開している"
        "ため、他の人々が自分のデータに応用して結果を報告し、どこで最も効果があるのかについて"
        "共通の理解を築くことができます。",
    ],
}

RAMIFICATIONS = {
    "de": [
        "Die Belege für {topic} sind noch dünn: ein einzelner Bericht auf {source} ersetzt keine "
        "unabhängige Wiederholung, und frühe Zahlen schrumpfen oft mit anderen Daten oder anderer "
        "Hardware. Teams, die den Ansatz zu schnell übernehmen, bauen womöglich auf Ergebnissen "
        "auf, die sich nicht verallgemeinern lassen, und sorgfältigere Arbeiten geraten in den "
        "Hintergrund.",
        "Eine breitere Nutzung dessen, was {topic} beschreibt, würde auch die Schwächen "
        "verbreiten. Methoden, die in einer Vorführung günstig wirken, verbergen oft Kosten bei "
        "Wartung, Bewertung und Energie, und die {comments} Kommentare auf {source} zeigen, dass "
        "erfahrene Leser über die Abwägungen weiterhin uneins sind.",
    ],
    "ja": [
        "{topic}を裏付ける証拠はまだ乏しく、{source}での一つの報告は独立した再現の代わりには"
        "なりません。初期の数値は別のデータやハードウェアでは小さくなることが多く、性急に採用した"
        "チームは一般化できない結果の上に仕組みを築いてしまうおそれがあります。注目が集まる"
        "ことで、より慎重な研究が見過ごされる心配もあります。",
        "{topic}が示す手法が広く使われれば、その弱点も同時に広がります。デモでは安価に見える"
        "方法でも、保守や評価、電力に隠れた費用があり、{source}の{comments}件のコメントを見ても、"
        "経験豊富な読者の間でさえ利点と欠点の評価は分かれています。限界を見誤れば、誤りの代償が"
        "大きい現場で脆いシステムが生まれかねません。",
    ],
}

RATIONALES = {
    "de": [
        "Der Weg zu {event} hängt von stetigen Fortschritten bei Modellfähigkeit, Rechenleistung "
        "und Finanzierung ab, und alle drei wachsen weiter. Diskussionen wie {context} zeigen, "
        "wie schnell neue Methoden in die Praxis gelangen, doch offene Fragen bei Zuverlässigkeit "
        "und Bewertung sprechen dafür, dass dieser Meilenstein noch Jahre entfernt ist.",
    ],
    "ja": [
        "{event}への道のりは、モデルの能力、計算資源、資金の着実な伸びにかかっており、その三つは"
        "いずれも今も拡大しています。{context}のような議論は新しい手法が論文から実務へ素早く移る"
        "様子を示していますが、信頼性と評価に残る課題を考えると、この節目は数か月ではなく数年先に"
        "なると見込まれます。",
    ],
}

CONTEXT = {"de": "der Beitrag über {title}", "ja": "「{title}」"}
