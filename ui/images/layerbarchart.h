// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

namespace strata
{

/// Layer sizes as horizontal bars, one row per layer, bottom layer first: the instruction on
/// the left, the bar, its size as text. Clicking a row selects that layer.
class LayerBarChart final : public QWidget
{
    Q_OBJECT
public:
    struct Bar {
        QString label; ///< "3  RUN apt-get install …"
        qint64 size = 0;
    };

    explicit LayerBarChart(QWidget *parent = nullptr);

    void setBars(const QVector<Bar> &bars);
    [[nodiscard]] const QVector<Bar> &bars() const { return m_bars; }
    void setSelected(int bar);
    [[nodiscard]] int selected() const { return m_selected; }
    /// The row under `pos`, -1 for none.
    [[nodiscard]] int barAt(const QPoint &pos) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    void barClicked(int bar);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    [[nodiscard]] int rowHeight() const;
    [[nodiscard]] int labelWidth() const;

    QVector<Bar> m_bars;
    int m_selected = -1;
};

} // namespace strata
